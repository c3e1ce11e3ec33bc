package io.cloudfunc.gateway.auth;

import io.cloudfunc.contracts.auth.CreateApiKey;
import io.cloudfunc.contracts.auth.CreatedApiKey;
import io.cloudfunc.gateway.downstream.RegistryService;
import io.cloudfunc.gateway.web.PublicJson;
import io.cloudfunc.gateway.web.RequestBodies;
import io.cloudfunc.support.http.BufferedResponse;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /keys}: create (the answer holds the secret, this once), list, read and revoke API keys (admin), and
 * {@code GET /keys/current}, the calling key itself (any role). The registry validates and stores; answers are
 * relayed unchanged.
 */
@RestController
@RequestMapping("/keys")
class KeyController {

    private static final long MAX_BODY = 64 * 1024;
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final RegistryService registry;
    private final KeyVerifier verifier;
    private final RateLimiter limiter;
    private final JsonMapper json;
    private final PublicJson publicJson;

    KeyController(RegistryService registry, KeyVerifier verifier, RateLimiter limiter, JsonMapper json,
            PublicJson publicJson) {
        this.registry = registry;
        this.json = json;
        this.publicJson = publicJson;
        this.verifier = verifier;
        this.limiter = limiter;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> create(HttpServletRequest request) {
        byte[] body = RequestBodies.read(request, MAX_BODY, "a key request");
        // strict here, where the caller can be told: the registry would make "name": 12 into "12" and drop unknowns
        publicJson.read(body, CreateApiKey.class, "The key request (name, role, expiresAt, rateLimit)");
        BufferedResponse response = registry.post("/internal/keys", MediaType.APPLICATION_JSON_VALUE, body);
        ResponseEntity<byte[]> relayed = registry.relay(response);
        if (response.status() != 201) {
            return relayed;
        }
        String location = relayedLocation(response);
        return ResponseEntity.status(relayed.getStatusCode()).headers(relayed.getHeaders())
                .location(URI.create(location)).body(relayed.getBody());
    }

    @GetMapping
    ResponseEntity<byte[]> list() {
        return registry.relay(registry.get("/internal/keys"));
    }

    @GetMapping("/current")
    ResponseEntity<byte[]> current(HttpServletRequest request) {
        return registry.relay(registry.get("/internal/keys/" + Caller.of(request).keyId()));
    }

    @GetMapping("/{id}")
    ResponseEntity<byte[]> get(@PathVariable String id) {
        return registry.relay(registry.get("/internal/keys/" + checkedId(id)));
    }

    /** Revokes the key; this gateway stops accepting it at once, others within {@code gateway.auth.cache-ttl}. */
    @DeleteMapping("/{id}")
    ResponseEntity<byte[]> revoke(@PathVariable String id) {
        UUID keyId = checkedId(id);
        BufferedResponse response = registry.delete("/internal/keys/" + keyId);
        if (response.isSuccess()) {
            verifier.evict(keyId);
            limiter.forget(keyId);
        }
        return registry.relay(response);
    }

    /** The registry's {@code /internal/keys/{id}} is {@code /keys/{id}} here. */
    private String relayedLocation(BufferedResponse response) {
        try {
            CreatedApiKey created = json.readValue(response.body(), CreatedApiKey.class);
            return "/keys/" + created.key().id();
        } catch (JacksonException | NullPointerException e) {
            throw registry.unexpected(response);
        }
    }

    private static UUID checkedId(String id) {
        if (!UUID_TEXT.matcher(id).matches()) {
            throw Problems.invalidRequest("'" + id + "' is not an API key id (a UUID such as "
                    + "3f1c2b9e-6d2a-4c51-9a43-0c2f5e7d8b10).");
        }
        return UUID.fromString(id);
    }
}

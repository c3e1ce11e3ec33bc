package io.cloudfunc.registry.apikey;

import io.cloudfunc.contracts.auth.ApiKeyView;
import io.cloudfunc.contracts.auth.CreateApiKey;
import io.cloudfunc.contracts.auth.CreatedApiKey;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The registry's API key API (docs/architecture.md, "function-registry internal API"). */
@RestController
@RequestMapping("/internal/keys")
class ApiKeyController {

    private final ApiKeyService service;

    ApiKeyController(ApiKeyService service) {
        this.service = service;
    }

    /** 201 with the key and its secret, which no later answer shows again. */
    @PostMapping
    ResponseEntity<CreatedApiKey> create(@RequestBody(required = false) CreateApiKey request) {
        CreatedApiKey created = service.create(request);
        return ResponseEntity.created(URI.create("/internal/keys/" + created.key().id())).body(created);
    }

    @GetMapping
    List<ApiKeyView> list() {
        return service.list();
    }

    @GetMapping("/{id}")
    ApiKeyView get(@PathVariable UUID id) {
        return service.get(id);
    }

    /** Revokes the key; 200 with the key as it is now (revoking twice is harmless). */
    @DeleteMapping("/{id}")
    ApiKeyView revoke(@PathVariable UUID id) {
        return service.revoke(id);
    }

    /**
     * The key whose secret has this SHA-256, for the gateway's verification. The secret never leaves the gateway;
     * the hash of a 256-bit random secret reveals nothing usable. Notes the key's last use.
     */
    @GetMapping("/by-hash/{hash}")
    ApiKeyView verify(@PathVariable String hash) {
        return service.verify(hash);
    }
}

package io.cloudfunc.gateway.function;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.contracts.function.InlineDeployRequest;
import io.cloudfunc.gateway.GatewayProperties;
import io.cloudfunc.gateway.downstream.RegistryService;
import io.cloudfunc.gateway.web.RequestBodies;
import io.cloudfunc.support.http.BufferedResponse;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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

/** {@code /functions}: deploy, list, describe, delete. Answers are the registry's, relayed unchanged. */
@RestController
@RequestMapping("/functions")
class FunctionController {

    /** Room for JSON escaping around the inline code (quotes, newlines, \\uXXXX) and the other fields. */
    private static final int INLINE_ESCAPING_FACTOR = 6;
    private static final long INLINE_FIELDS_ALLOWANCE = 64 * 1024;

    private final RegistryService registry;
    private final GatewayProperties properties;
    private final JsonMapper json;

    FunctionController(RegistryService registry, GatewayProperties properties, JsonMapper json) {
        this.registry = registry;
        this.properties = properties;
        this.json = json;
    }

    /** Zip upload: a {@code code} part plus metadata as a {@code metadata} JSON part or as form fields. */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<byte[]> deployArchive(HttpServletRequest request) {
        DeployForm form = DeployForm.read(request, json);
        FunctionSpec spec = FunctionSpecs.validate(form.spec());
        Part code = form.code();
        checkArchive(code);
        try (InputStream archive = code.getInputStream()) {
            return deploy(spec, code.getSize(), archive);
        } catch (IOException e) {
            throw Problems.invalidRequest("The 'code' part could not be read.");
        }
    }

    /** Inline deploy: the JSON carries the handler module's source, which is zipped here. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> deployInline(HttpServletRequest request) {
        long maxCode = properties.maxInlineCodeSize().toBytes();
        byte[] body = RequestBodies.read(request, maxCode * INLINE_ESCAPING_FACTOR + INLINE_FIELDS_ALLOWANCE,
                "an inline deploy");
        InlineDeployRequest inline;
        try {
            inline = json.readValue(body, InlineDeployRequest.class);
        } catch (JacksonException e) {
            throw Problems.invalidRequest("The body is not a valid inline deploy (JSON object with name, runtime, "
                    + "handler, code, timeoutMs, memoryMb, idleTtlMs, env).");
        }
        if (inline == null) {
            throw Problems.invalidRequest("The body must be a JSON object.");
        }
        FunctionSpec spec = FunctionSpecs.validate(inline.spec());
        if (inline.code() == null || inline.code().isBlank()) {
            throw Problems.invalidRequest("The 'code' field with the handler module's source is required.");
        }
        if (inline.code().getBytes(StandardCharsets.UTF_8).length > maxCode) {
            throw Problems.payloadTooLarge("The inline code is too large: at most "
                    + properties.maxInlineCodeSize().toKilobytes() + " KB; upload a zip archive instead.");
        }
        byte[] archive = InlineArchive.zip(InlineArchive.moduleFile(spec.runtime(), spec.handler()), inline.code());
        return deploy(spec, archive.length, new ByteArrayInputStream(archive));
    }

    @GetMapping
    ResponseEntity<byte[]> list() {
        return registry.relay(registry.get("/internal/functions"));
    }

    @GetMapping("/{name}")
    ResponseEntity<byte[]> describe(@PathVariable String name) {
        return registry.relay(registry.get("/internal/functions/" + checkedName(name)));
    }

    @DeleteMapping("/{name}")
    ResponseEntity<byte[]> delete(@PathVariable String name) {
        return registry.relay(registry.delete("/internal/functions/" + checkedName(name)));
    }

    private ResponseEntity<byte[]> deploy(FunctionSpec spec, long codeSize, InputStream code) {
        var request = RegistryDeploy.of(json.writeValueAsBytes(spec), spec.name() + ".zip", codeSize, code);
        BufferedResponse response = registry.post("/internal/functions", request.contentType(), request.body(),
                request.length());
        ResponseEntity<byte[]> relayed = registry.relay(response);
        if (response.isSuccess()) {
            return ResponseEntity.status(relayed.getStatusCode())
                    .headers(relayed.getHeaders())
                    .location(URI.create("/functions/" + spec.name()))
                    .body(relayed.getBody());
        }
        return relayed;
    }

    /** Empty or not a zip at all: said here, in plain words; the registry checks the archive's content. */
    private void checkArchive(Part code) {
        if (code.getSize() == 0) {
            throw Problems.invalidArchive("The 'code' part is empty; it must hold the function's zip archive.");
        }
        if (code.getSize() > properties.maxArchiveSize().toBytes()) {
            throw Problems.payloadTooLarge("The code archive is too large: at most "
                    + properties.maxArchiveSize().toMegabytes() + " MB.");
        }
        try (InputStream in = code.getInputStream()) {
            byte[] magic = in.readNBytes(2);
            if (magic.length < 2 || magic[0] != 'P' || magic[1] != 'K') {
                throw Problems.invalidArchive("The 'code' part is not a zip archive.");
            }
        } catch (IOException e) {
            throw Problems.invalidRequest("The 'code' part could not be read.");
        }
    }

    static String checkedName(String name) {
        if (!FunctionNames.isValid(name)) {
            throw Problems.invalidName(name);
        }
        return name;
    }
}

package io.cloudfunc.registry.function;

import io.cloudfunc.contracts.function.AliasRequest;
import io.cloudfunc.contracts.function.AliasView;
import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.function.FunctionView;
import io.cloudfunc.contracts.function.HttpAccess;
import io.cloudfunc.support.problem.JsonProblems;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** The registry's function API (docs/architecture.md, "function-registry internal API"). */
@RestController
@RequestMapping("/internal/functions")
class FunctionController {

    static final MediaType ZIP = MediaType.parseMediaType("application/zip");

    private final FunctionService service;
    private final AliasService aliases;
    private final JsonMapper jsonMapper;

    FunctionController(FunctionService service, AliasService aliases, JsonMapper jsonMapper) {
        this.service = service;
        this.aliases = aliases;
        this.jsonMapper = jsonMapper;
    }

    /**
     * Deploys a new function or a new version. {@code metadata} is read as text whatever its content type, so that
     * both a JSON part and a plain form field holding JSON are accepted; {@code code} may be a file or a field. A
     * function of runtime {@code image} may come without code. {@code dependencies} names the dependency build the
     * gateway had made for the code (stored by the container-manager that built it), if any.
     */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<FunctionView> deploy(@RequestPart("metadata") String metadata,
            @RequestPart(name = "code", required = false) Part code,
            @RequestParam(name = "dryRun", defaultValue = "false") boolean dryRun,
            @RequestParam(name = "dependencies", required = false) String dependencies) {
        if (dryRun) { // the gateway's deploy-time code check asks first whether the deploy would be stored
            service.validate(parseSpec(metadata), code != null ? read(code) : null);
            return ResponseEntity.noContent().build();
        }
        FunctionView view = service.deploy(parseSpec(metadata), code != null ? read(code) : null, dependencies);
        return ResponseEntity.created(URI.create("/internal/functions/" + view.name())).body(view);
    }

    @GetMapping
    public List<FunctionView> list() {
        return service.list();
    }

    @GetMapping("/{name}")
    public FunctionView get(@PathVariable String name) {
        return service.get(name);
    }

    @DeleteMapping("/{name}")
    public ResponseEntity<Void> delete(@PathVariable String name) {
        service.delete(name);
        return ResponseEntity.noContent().build();
    }

    /** New configuration, same code: a new version (see {@link FunctionService#update}). */
    @PutMapping(value = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public FunctionView update(@PathVariable String name, @RequestBody(required = false) byte[] body) {
        return service.update(name, JsonProblems.readStrict(jsonMapper, body, FunctionSpec.class, "the body"));
    }

    /**
     * New code, and configuration changes in {@code metadata} (fields left out keep their value): a new version
     * (see {@link FunctionService#update(String, FunctionSpec, byte[], String)}).
     */
    @PutMapping(value = "/{name}", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public FunctionView updateWithCode(@PathVariable String name,
            @RequestPart(name = "metadata", required = false) String metadata, @RequestPart("code") Part code,
            @RequestParam(name = "dependencies", required = false) String dependencies) {
        FunctionSpec changes = metadata == null ? emptyChanges(name) : parseSpec(metadata);
        return service.update(name, changes, read(code), dependencies);
    }

    @GetMapping("/{name}/versions")
    public List<FunctionVersionView> versions(@PathVariable String name) {
        return service.versions(name);
    }

    /** {@code ref} is a version number, an alias or {@code latest}. */
    @GetMapping("/{name}/versions/{ref}")
    public FunctionVersionView version(@PathVariable String name, @PathVariable String ref) {
        return service.resolve(name, ref);
    }

    /** A new latest version with the code and configuration of {@code version} (see {@link FunctionService#redeploy}). */
    @PostMapping("/{name}/versions/{version}/redeploy")
    public ResponseEntity<FunctionView> redeploy(@PathVariable String name, @PathVariable int version) {
        FunctionView view = service.redeploy(name, version);
        return ResponseEntity.created(URI.create("/internal/functions/" + name + "/versions/" + view.latestVersion()))
                .body(view);
    }

    /** The decrypted secrets of a version: only the container-manager calls this, on the internal network. */
    @GetMapping("/{name}/versions/{version}/secrets")
    public Map<String, String> secrets(@PathVariable String name, @PathVariable int version) {
        return service.secrets(name, version);
    }

    /** Who may call the function over HTTP, with the webhook secret: only the gateway calls this, internally. */
    @GetMapping("/{name}/http-access")
    public HttpAccess httpAccess(@PathVariable String name) {
        return service.httpAccess(name);
    }

    @GetMapping("/{name}/aliases")
    public List<AliasView> aliases(@PathVariable String name) {
        return aliases.list(name);
    }

    @GetMapping("/{name}/aliases/{alias}")
    public AliasView alias(@PathVariable String name, @PathVariable String alias) {
        return aliases.get(name, alias);
    }

    /**
     * Creates (201) or moves (200) an alias; the body is {@code {"version": N}} or a split, {@code {"weights":
     * [{"version": 3, "weight": 90}, {"version": 4, "weight": 10}]}}.
     */
    @PutMapping(value = "/{name}/aliases/{alias}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<AliasView> setAlias(@PathVariable String name, @PathVariable String alias,
            @RequestBody(required = false) byte[] body) {
        AliasRequest request = JsonProblems.readStrict(jsonMapper, body, AliasRequest.class, "the body");
        AliasService.SetResult result = aliases.set(name, alias, request);
        return result.created()
                ? ResponseEntity.created(URI.create("/internal/functions/" + name + "/aliases/" + alias))
                        .body(result.alias())
                : ResponseEntity.ok(result.alias());
    }

    @DeleteMapping("/{name}/aliases/{alias}")
    public ResponseEntity<Void> deleteAlias(@PathVariable String name, @PathVariable String alias) {
        aliases.delete(name, alias);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{name}/versions/{version}/code")
    public ResponseEntity<byte[]> code(@PathVariable String name, @PathVariable int version) {
        VersionCode code = service.code(name, version);
        return ResponseEntity.ok()
                .contentType(ZIP)
                .eTag("\"" + code.sha256() + "\"")
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(name + "-v" + version + ".zip").build().toString())
                .body(code.zip());
    }

    private static FunctionSpec emptyChanges(String name) {
        return new FunctionSpec(name, null, null, null, null, null, null);
    }

    private FunctionSpec parseSpec(String metadata) {
        return JsonProblems.readStrict(jsonMapper, metadata.getBytes(StandardCharsets.UTF_8), FunctionSpec.class,
                "the metadata part");
    }

    private static byte[] read(Part code) {
        try (InputStream in = code.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw Problems.invalidRequest("the code part could not be read: " + e.getMessage());
        }
    }
}

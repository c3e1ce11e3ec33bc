package io.cloudfunc.registry.function;

import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.function.FunctionView;
import io.cloudfunc.support.problem.JsonProblems;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** The registry's function API (docs/architecture.md, "function-registry internal API"). */
@RestController
@RequestMapping("/internal/functions")
class FunctionController {

    static final MediaType ZIP = MediaType.parseMediaType("application/zip");

    private final FunctionService service;
    private final JsonMapper jsonMapper;

    FunctionController(FunctionService service, JsonMapper jsonMapper) {
        this.service = service;
        this.jsonMapper = jsonMapper;
    }

    /**
     * Deploys a new function or a new version. {@code metadata} is read as text whatever its content type, so that
     * both a JSON part and a plain form field holding JSON are accepted; {@code code} may be a file or a field.
     */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<FunctionView> deploy(@RequestPart("metadata") String metadata,
            @RequestPart("code") Part code) {
        FunctionView view = service.deploy(parseSpec(metadata), read(code));
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

    @GetMapping("/{name}/versions/{version}")
    public FunctionVersionView version(@PathVariable String name, @PathVariable int version) {
        return service.version(name, version);
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

    private FunctionSpec parseSpec(String metadata) {
        try {
            FunctionSpec spec = jsonMapper.readValue(metadata, FunctionSpec.class);
            if (spec == null) {
                throw Problems.invalidRequest("the metadata part must be a JSON object");
            }
            return spec;
        } catch (JacksonException e) {
            throw Problems.invalidRequest(JsonProblems.describe("the metadata part", e));
        }
    }

    private static byte[] read(Part code) {
        try (InputStream in = code.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw Problems.invalidRequest("the code part could not be read: " + e.getMessage());
        }
    }
}

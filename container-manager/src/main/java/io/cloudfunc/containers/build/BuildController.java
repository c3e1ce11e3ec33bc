package io.cloudfunc.containers.build;

import io.cloudfunc.contracts.function.BuildLog;
import io.cloudfunc.contracts.function.DependencyBuildRequest;
import io.cloudfunc.contracts.function.DependencyBuildResult;
import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.io.IOException;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code POST /internal/builds?id=ID}: the gateway's deploy-time dependency build (multipart: a {@code metadata}
 * {@link DependencyBuildRequest} and the {@code code} zip). 200 with the {@link DependencyBuildResult} (built or
 * reused), 204 when there is nothing to build, 400 build-failed or build-timed-out. {@code GET
 * /internal/builds/{id}/log?from=N}: the build's log while it runs and for a while after (404 when this manager has
 * no build of that id).
 */
@RestController
class BuildController {

    private final DependencyBuilder builder;
    private final BuildLogs logs;

    BuildController(DependencyBuilder builder, BuildLogs logs) {
        this.builder = builder;
        this.logs = logs;
    }

    @PostMapping(value = "/internal/builds", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<DependencyBuildResult> build(@RequestParam(name = "id", required = false) String id,
            @RequestPart("metadata") DependencyBuildRequest request, @RequestPart("code") MultipartFile code)
            throws IOException {
        if (!FunctionNames.isValid(request.functionName())) {
            throw Problems.invalidName(request.functionName());
        }
        if (id != null && !BuildLogs.isValidId(id)) {
            throw Problems.invalidRequest("A build id is a UUID.").with("field", "buildId");
        }
        return builder.build(request, code.getBytes(), id != null ? id : UUID.randomUUID().toString())
                .map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @GetMapping("/internal/builds/{id}/log")
    BuildLog log(@PathVariable String id, @RequestParam(name = "from", defaultValue = "0") int from) {
        return logs.page(id, from).orElseThrow(() -> new ProblemException(Problems.of(HttpStatus.NOT_FOUND,
                ProblemTypes.NOT_FOUND, "No build " + id + " on this container-manager.")));
    }
}

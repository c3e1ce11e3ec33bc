package io.cloudfunc.gateway.function;

import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.gateway.downstream.ContainerManagers;
import io.cloudfunc.gateway.downstream.DownstreamService;
import io.cloudfunc.support.http.BufferedResponse;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /builds/{id}/log?from=N}: the log of a deploy's dependency build, by the {@code buildId} the deploy was
 * sent with, while it runs and for ten minutes after. The build runs on one container-manager, which this gateway
 * need not remember: each is asked in turn until one has it. 404 until the build has started.
 */
@RestController
class BuildLogController {

    private final ContainerManagers managers;

    BuildLogController(ContainerManagers managers) {
        this.managers = managers;
    }

    @GetMapping("/builds/{id}/log")
    ResponseEntity<byte[]> log(@PathVariable String id, @RequestParam(name = "from", defaultValue = "0") int from) {
        String buildId = DependencyBuilds.buildId(id);
        if (from < 0) {
            throw Problems.invalidRequest("'from' is a line number, 0 or more.").with("field", "from");
        }
        for (DownstreamService manager : managers.all()) {
            BufferedResponse response;
            try {
                response = manager.get("/internal/builds/" + buildId + "/log?from=" + from);
            } catch (ProblemException e) { // that manager does not answer: another may have the build
                continue;
            }
            if (response.isSuccess()) {
                return manager.relay(response);
            }
        }
        throw new ProblemException(Problems.of(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "No build " + buildId
                + " has started (or it ended more than ten minutes ago).")).with("buildId", buildId);
    }
}

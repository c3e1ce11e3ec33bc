package io.cloudfunc.registry.build;

import io.cloudfunc.contracts.function.DependencyBuildView;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /internal/dependency-builds/{digest}}: a container-manager asks whether a build exists before it builds
 * ({@code GET}, 404 when not), stores what it built ({@code PUT}, the zip as the body, 201, or 200 when one of that
 * digest was there), and downloads a version's build for its containers ({@code GET .../archive}).
 */
@RestController
@RequestMapping("/internal/dependency-builds")
class DependencyBuildController {

    private static final MediaType ZIP = MediaType.parseMediaType("application/zip");

    private final DependencyBuilds builds;

    DependencyBuildController(DependencyBuilds builds) {
        this.builds = builds;
    }

    @GetMapping("/{digest}")
    DependencyBuildView get(@PathVariable String digest) {
        return builds.view(digest).orElseThrow(() -> notFound(digest));
    }

    @GetMapping("/{digest}/archive")
    ResponseEntity<byte[]> archive(@PathVariable String digest) {
        byte[] archive = builds.archive(digest).orElseThrow(() -> notFound(digest));
        return ResponseEntity.ok().contentType(ZIP).eTag("\"" + digest + "\"").body(archive);
    }

    @PutMapping(value = "/{digest}", consumes = "application/zip")
    ResponseEntity<DependencyBuildView> store(@PathVariable String digest, @RequestParam String runtime,
            @RequestParam long buildMs, @RequestBody(required = false) byte[] archive) {
        boolean existed = builds.exists(digest);
        DependencyBuildView view = builds.store(digest, runtime, buildMs, archive);
        return existed ? ResponseEntity.ok(view)
                : ResponseEntity.created(URI.create("/internal/dependency-builds/" + digest)).body(view);
    }

    private static ProblemException notFound(String digest) {
        return new ProblemException(Problems.of(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND,
                "no dependency build " + digest)).with("digest", digest);
    }
}

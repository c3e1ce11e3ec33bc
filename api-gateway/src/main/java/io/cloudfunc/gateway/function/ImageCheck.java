package io.cloudfunc.gateway.function;

import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.gateway.downstream.ContainerManagers;
import io.cloudfunc.gateway.downstream.DownstreamService;
import io.cloudfunc.support.http.BufferedResponse;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * A deploy of runtime {@code image} names an image every container-manager has: asked at deploy time, so that a
 * typo is a 400 now rather than a failed call later. A manager that cannot be reached does not block the deploy
 * (its calls would then fail with {@code ImageNotFound} if the image is missing there).
 */
@Component
class ImageCheck {

    private static final Logger log = LoggerFactory.getLogger(ImageCheck.class);

    private final ContainerManagers managers;

    ImageCheck(ContainerManagers managers) {
        this.managers = managers;
    }

    static boolean isImageFunction(FunctionSpec spec) {
        return "image".equals(spec.runtime());
    }

    void requireImage(FunctionSpec spec) {
        if (!isImageFunction(spec) || spec.image() == null || spec.image().isBlank()) {
            return; // not an image function, or no image: the registry says what is wrong
        }
        String path = "/internal/images/" + URLEncoder.encode(spec.image(), StandardCharsets.UTF_8)
                .replace("%2F", "/").replace("%3A", ":").replace("%40", "@");
        for (DownstreamService manager : managers.all()) {
            BufferedResponse response;
            try {
                response = manager.get(path);
            } catch (ProblemException e) {
                log.warn("Could not ask the {} whether it has image {}; deploying anyway", manager.name(),
                        spec.image());
                continue;
            }
            if (response.status() == 404 && new String(response.body(), StandardCharsets.UTF_8)
                    .contains(ProblemTypes.IMAGE_NOT_FOUND.toString())) {
                throw Problems.imageNotFound(HttpStatus.BAD_REQUEST, spec.image());
            }
            if (!response.isSuccess()) {
                log.warn("The {} answered HTTP {} about image {}; deploying anyway", manager.name(),
                        response.status(), spec.image());
            }
        }
    }
}

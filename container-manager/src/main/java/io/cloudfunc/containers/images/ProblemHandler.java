package io.cloudfunc.containers.images;

import io.cloudfunc.support.problem.ProblemErrorController;
import io.cloudfunc.support.problem.ProblemResponses;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Errors of the manager's internal HTTP API as RFC 9457 problem details, like every other service's. */
@RestControllerAdvice
@Import(ProblemErrorController.class)
class ProblemHandler extends ProblemResponses {

    ProblemHandler() {
        super("container-manager");
    }
}

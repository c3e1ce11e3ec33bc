package io.cloudfunc.scheduler.web;

import io.cloudfunc.support.problem.ProblemErrorController;
import io.cloudfunc.support.problem.ProblemResponses;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Renders every error as an RFC 9457 problem detail with a CloudFunc type ({@link ProblemResponses}), and passes a
 * problem the registry answered through unchanged.
 */
@RestControllerAdvice
@Import(ProblemErrorController.class)
class ProblemHandler extends ProblemResponses {

    ProblemHandler() {
        super("scheduler");
    }

    @ExceptionHandler(DownstreamProblemException.class)
    ResponseEntity<byte[]> handleDownstream(DownstreamProblemException e) {
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(e.body());
    }

    @Override
    protected String detailFor(Exception ex) {
        return ex instanceof HttpMessageNotReadableException
                ? "The request body could not be read." : super.detailFor(ex);
    }
}

package io.cloudfunc.support.problem;

import io.cloudfunc.contracts.problem.ProblemTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Base of each service's {@code @RestControllerAdvice}: renders every error as an RFC 9457 problem detail
 * ({@code application/problem+json}) with a CloudFunc type. A {@link ProblemException} is answered with the problem
 * it carries; Spring MVC's own errors (unknown path, wrong method, wrong media type, oversized upload, unreadable
 * body, type mismatch, missing part) keep Spring's status and get our type and title, and the service's words
 * through {@link #detailFor}; anything else is a 500 that names the service ({@link #unexpected}), never the
 * exception. A subclass adds only what is its own (e.g. a database that is down).
 */
public abstract class ProblemResponses extends ResponseEntityExceptionHandler {

    /** Named after the service's own advice, so that its log lines say where they come from. */
    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String service;

    /**
     * @param service how the service is named in a 500's detail, e.g. "gateway"
     */
    protected ProblemResponses(String service) {
        this.service = service;
    }

    @ExceptionHandler(ProblemException.class)
    public ResponseEntity<ProblemDetail> handleProblem(ProblemException e) {
        return respond(e.problem());
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ProblemDetail> handleUnexpected(Exception e) {
        log.error("Unexpected error", e);
        return respond(unexpected());
    }

    /** The 500 answer to a failure nobody expected: "The gateway failed unexpectedly; the error is in its log." */
    protected ProblemDetail unexpected() {
        return Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.PLATFORM_ERROR,
                "The " + service + " failed unexpectedly; the error is in its log.");
    }

    /**
     * The detail for one of Spring MVC's own errors, in the service's words, or null to keep Spring's. By default an
     * unknown path reads {@code No such path: /x.}; a subclass adds its cases and falls back on this.
     */
    protected String detailFor(Exception ex) {
        return ex instanceof NoResourceFoundException e ? "No such path: /" + e.getResourcePath() + "." : null;
    }

    /** Gives a problem Spring MVC made itself our type and title. */
    protected void retype(ProblemDetail problem, HttpStatusCode status) {
        Problems.retype(problem, status.value());
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            if (statusCode.is5xxServerError()) {
                log.error("Failure while handling a request", ex);
            }
            retype(problem, statusCode);
            String detail = detailFor(ex);
            if (detail != null) {
                problem.setDetail(detail);
            }
            return ResponseEntity.status(response.getStatusCode())
                    .headers(response.getHeaders())
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem);
        }
        return response;
    }

    /** The problem with its status, as {@code application/problem+json}. */
    protected static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}

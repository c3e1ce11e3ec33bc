package io.cloudfunc.support.problem;

import java.net.URI;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * An expected failure answered with the problem detail it carries ({@link ProblemResponses} renders it). No stack
 * trace is captured: these are outcomes (unknown function, timeout), not bugs, and some sit on the hot path. Built
 * through {@link Problems} or a service's own factory, so that each kind of problem has one type, status and title.
 */
public class ProblemException extends RuntimeException {

    private final transient ProblemDetail problem;

    public ProblemException(ProblemDetail problem) {
        super(problem.getDetail(), null, false, false);
        this.problem = problem;
    }

    /** Adds an extension member to the problem detail, e.g. {@code functionName}. */
    public ProblemException with(String name, Object value) {
        problem.setProperty(name, value);
        return this;
    }

    public ProblemDetail problem() {
        return problem;
    }

    public HttpStatusCode status() {
        return HttpStatusCode.valueOf(problem.getStatus());
    }

    public URI type() {
        return problem.getType();
    }
}

package io.cloudfunc.scheduler.web;

import org.springframework.http.ProblemDetail;

/**
 * An expected failure answered with the problem detail it carries. No stack trace is captured: these are outcomes
 * (unknown function, timeout), not bugs, and some sit on the hot path.
 */
public class ProblemException extends RuntimeException {

    private final transient ProblemDetail problem;

    public ProblemException(ProblemDetail problem) {
        super(problem.getDetail(), null, false, false);
        this.problem = problem;
    }

    public ProblemDetail problem() {
        return problem;
    }
}

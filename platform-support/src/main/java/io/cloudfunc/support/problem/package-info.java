/**
 * Errors as RFC 9457 problem details, the same in every service: {@link io.cloudfunc.support.problem.Problems}
 * builds them with the stable types and titles, {@link io.cloudfunc.support.problem.ProblemException} carries one
 * from anywhere, {@link io.cloudfunc.support.problem.ProblemResponses} is the base of each service's controller
 * advice and {@link io.cloudfunc.support.problem.ProblemErrorController} the {@code /error} fallback.
 */
package io.cloudfunc.support.problem;

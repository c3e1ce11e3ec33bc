/**
 * Errors as RFC 9457 problem details: {@link io.cloudfunc.registry.problem.ProblemException} carries a problem from
 * anywhere in the registry, and one controller advice answers every failure, the framework's own included.
 */
package io.cloudfunc.registry.problem;

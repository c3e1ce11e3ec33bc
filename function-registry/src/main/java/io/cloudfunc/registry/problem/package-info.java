/**
 * Errors as RFC 9457 problem details, over platform-support's: {@link io.cloudfunc.registry.problem.RegistryProblems}
 * builds the registry's own problems (thrown as {@link io.cloudfunc.support.problem.ProblemException} from anywhere
 * in the registry), and one controller advice answers every failure, the framework's own included.
 */
package io.cloudfunc.registry.problem;

package io.cloudfunc.contracts.function;

/**
 * A container-manager's answer to {@code POST /internal/builds} when there was something to build: the build stored
 * in the registry under {@code digest} (the digest of the dependency files, the tool's settings and the runtime
 * image), built now or reused.
 *
 * @param digest  the build's key: a version deployed with it gets these dependencies
 * @param reused  the registry already had a build of that digest: nothing was built
 * @param buildMs how long the build took (the original build's time when reused)
 * @param size    size of the stored output (a zip of site-packages or node_modules)
 */
public record DependencyBuildResult(String digest, boolean reused, long buildMs, long size) {
}

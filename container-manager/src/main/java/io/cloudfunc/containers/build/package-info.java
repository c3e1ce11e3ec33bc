/**
 * Dependency builds at deploy ({@code POST /internal/builds}): a deploy's {@code requirements.txt} (pip) or
 * {@code package.json} without {@code node_modules} (npm), or seed 002's {@code dependencies} list, installed in a
 * throwaway container of the function's runtime image, as its unprivileged user, under memory, CPU and time limits,
 * on a network of its own. What was installed is zipped and stored in the registry under the build's digest (the
 * dependency files, the tool's settings, the runtime image), so that the same set is built once; the version names
 * the digest and {@link io.cloudfunc.containers.code.CodeCache} installs the build beside the code.
 */
package io.cloudfunc.containers.build;

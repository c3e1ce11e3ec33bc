package io.cloudfunc.contracts.function;

import java.util.List;

/**
 * The {@code metadata} part of a container-manager's {@code POST /internal/builds}: what a deploy's dependencies are
 * built for (the {@code code} part is the zip archive, whose {@code requirements.txt} or {@code package.json} the
 * manager reads).
 *
 * @param functionName the function being deployed (for logs)
 * @param runtime      {@code python} or {@code node}; other runtimes have nothing to build
 * @param dependencies seed 002's {@code dependencies} list (requirement lines for python, {@code name@range} for
 *                     node), null or empty when the archive's own files say what to install
 */
public record DependencyBuildRequest(String functionName, String runtime, List<String> dependencies) {

    public DependencyBuildRequest {
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    }
}

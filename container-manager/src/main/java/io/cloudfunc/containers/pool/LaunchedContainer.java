package io.cloudfunc.containers.pool;

import io.cloudfunc.containers.runtime.RuntimeConnection;
import java.nio.file.Path;
import java.util.List;

/**
 * A started container and its connections to the runtime: one per call it may serve at once (the function's
 * concurrency; one for a prewarmed container until it is given a function).
 */
public record LaunchedContainer(String containerId, Path directory, List<RuntimeConnection> connections) {

    public LaunchedContainer {
        connections = List.copyOf(connections);
    }

    public LaunchedContainer(String containerId, Path directory, RuntimeConnection connection) {
        this(containerId, directory, connection == null ? List.of() : List.of(connection));
    }

    /** The first connection (the one {@code init} went over). */
    public RuntimeConnection connection() {
        return connections.isEmpty() ? null : connections.getFirst();
    }
}

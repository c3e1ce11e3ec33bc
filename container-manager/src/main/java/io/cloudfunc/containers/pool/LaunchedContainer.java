package io.cloudfunc.containers.pool;

import io.cloudfunc.containers.runtime.RuntimeConnection;
import java.nio.file.Path;

/** A started container whose runtime has loaded the function, and the connection to it. */
public record LaunchedContainer(String containerId, Path directory, RuntimeConnection connection) {
}

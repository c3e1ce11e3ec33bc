package io.cloudfunc.containers.pool;

import io.cloudfunc.containers.docker.ContainerEngine.ContainerStatus;
import io.cloudfunc.contracts.function.FunctionVersionView;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Starts and destroys function containers: the side effects the pool delegates. */
public interface ContainerLauncher {

    /**
     * Creates and starts a container for the function, connects to its runtime and loads the function.
     *
     * @param key  the container's key (names its directory and labels)
     * @param code where the function's unpacked code is; asked only here, i.e. only on a cold start
     */
    LaunchedContainer launch(String key, FunctionVersionView function, Supplier<Path> code)
            throws NoContainerException;

    /** Creates and starts a generic container of a runtime, connected, with no function loaded (prewarming). */
    LaunchedContainer launchGeneric(String key, String runtime) throws NoContainerException;

    /**
     * Gives a prewarmed container a function: its code, its memory limit, {@code init}, its connections. On
     * failure the container is unusable; the caller destroys it.
     */
    LaunchedContainer specialise(String key, LaunchedContainer generic, FunctionVersionView function,
                                 Supplier<Path> code) throws NoContainerException;

    /** Kills and removes the container and deletes its directory. Never throws. */
    void destroy(String key, LaunchedContainer container);

    /** How the container ended, once it has (waits briefly); empty when it no longer exists. */
    Optional<ContainerStatus> exitStatus(LaunchedContainer container);

    /**
     * Keys of this manager's containers the engine reports as running.
     *
     * @throws io.cloudfunc.containers.docker.ContainerEngineException the engine does not answer (e.g. restarting)
     */
    Set<String> runningKeys();
}

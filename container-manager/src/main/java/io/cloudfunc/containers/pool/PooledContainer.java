package io.cloudfunc.containers.pool;

import io.cloudfunc.containers.runtime.RuntimeConnection;
import java.time.Duration;

/** One container of the pool. Its state and retired flag are guarded by the pool's lock. */
public final class PooledContainer {

    private final String key;
    private final FunctionKey function;
    private final Duration idleTtl;
    private ContainerState state;
    private boolean retired;
    private volatile LaunchedContainer launched;

    PooledContainer(String key, FunctionKey function, Duration idleTtl, ContainerState state) {
        this.key = key;
        this.function = function;
        this.idleTtl = idleTtl;
        this.state = state;
    }

    public String key() {
        return key;
    }

    public FunctionKey function() {
        return function;
    }

    /** The connection to its runtime (the container is started). */
    public RuntimeConnection connection() {
        return launched.connection();
    }

    public String containerId() {
        LaunchedContainer started = launched;
        return started != null ? started.containerId() : null;
    }

    /** False once the connection to its runtime has been closed (a failed or expired call): it must not serve. */
    boolean connectionOpen() {
        LaunchedContainer started = launched;
        return started != null && (started.connection() == null || started.connection().isOpen());
    }

    LaunchedContainer launched() {
        return launched;
    }

    void launched(LaunchedContainer container) {
        this.launched = container;
    }

    ContainerState state() {
        return state;
    }

    void state(ContainerState state) {
        this.state = state;
    }

    boolean retired() {
        return retired;
    }

    void retire() {
        this.retired = true;
    }

    ContainerSnapshot snapshot() {
        return new ContainerSnapshot(key, function, state, idleTtl, retired);
    }
}

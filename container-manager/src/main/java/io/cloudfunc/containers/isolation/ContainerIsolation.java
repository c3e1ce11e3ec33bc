package io.cloudfunc.containers.isolation;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.docker.ContainerEngine;
import io.cloudfunc.containers.docker.ContainerEngineException;
import io.cloudfunc.containers.docker.ContainerSpec;
import io.cloudfunc.contracts.function.FunctionVersionView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the network and OCI runtime of a function's containers and makes sure the engine has them. Both are
 * checked before a container is created so that a missing runtime fails the call with a message naming what is
 * installed, instead of Docker's "unknown or invalid runtime name".
 */
public final class ContainerIsolation {

    /** A function's {@code network} value that asks for outbound traffic. */
    public static final String OUTBOUND = "outbound";
    /** How often the engine's runtimes are read again when a function names one not seen before. */
    private static final Duration RUNTIMES_REFRESH = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(ContainerIsolation.class);

    private final ContainerEngine engine;
    private final ContainerManagerProperties.Isolation settings;
    private final Clock clock;
    private volatile Set<String> runtimes;
    private volatile Instant runtimesReadAt = Instant.MIN;
    private volatile boolean outboundNetworkReady;

    public ContainerIsolation(ContainerEngine engine, ContainerManagerProperties.Isolation settings, Clock clock) {
        this.engine = engine;
        this.settings = settings;
        this.clock = clock;
    }

    /** How a container of this function is to be isolated. */
    public record Settings(String network, String ociRuntime) {
    }

    /** The OCI runtime of functions that do not name one, and of prewarmed (generic) containers. */
    public String defaultOciRuntime() {
        return settings.ociRuntime();
    }

    /**
     * @throws IsolationUnavailableException the function's OCI runtime is not installed in the engine, or the
     *                                       outbound network cannot be set up
     */
    public Settings settingsFor(FunctionVersionView function) throws IsolationUnavailableException {
        String ociRuntime = function.ociRuntime() != null && !function.ociRuntime().isBlank()
                ? function.ociRuntime() : settings.ociRuntime();
        checkInstalled(ociRuntime);
        if (OUTBOUND.equals(function.network())) {
            ensureOutboundNetwork();
            return new Settings(settings.outboundNetwork(), ociRuntime);
        }
        return new Settings(ContainerSpec.NO_NETWORK, ociRuntime);
    }

    private void checkInstalled(String ociRuntime) throws IsolationUnavailableException {
        Set<String> known = runtimes;
        if (known != null && known.contains(ociRuntime)) {
            return; // the hot path: no engine call
        }
        Instant now = clock.instant();
        if (known == null || runtimesReadAt.plus(RUNTIMES_REFRESH).isBefore(now)) {
            try {
                known = engine.ociRuntimes(); // installing one means restarting dockerd: read again, rarely
            } catch (ContainerEngineException e) {
                throw new IsolationUnavailableException("PlatformError", e.getMessage(), e);
            }
            runtimes = known;
            runtimesReadAt = now;
        }
        if (!known.contains(ociRuntime)) {
            throw new IsolationUnavailableException("OciRuntimeUnavailable", "the OCI runtime '" + ociRuntime
                    + "' is not installed on this node's Docker engine (installed: "
                    + String.join(", ", new TreeSet<>(known)) + ")", null);
        }
    }

    private void ensureOutboundNetwork() throws IsolationUnavailableException {
        if (outboundNetworkReady) {
            return;
        }
        synchronized (this) {
            if (outboundNetworkReady) {
                return;
            }
            try {
                engine.ensureIsolatedNetwork(settings.outboundNetwork());
            } catch (ContainerEngineException e) {
                throw new IsolationUnavailableException("PlatformError", "no outbound network: " + e.getMessage(), e);
            }
            log.info("Outbound network {} is ready (bridge, no inter-container traffic)", settings.outboundNetwork());
            outboundNetworkReady = true;
        }
    }
}

package io.cloudfunc.containers.node;

import io.cloudfunc.containers.docker.ContainerEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How a drained node stops. When it is the main process of a container of the engine it manages (compose: the
 * Docker socket mounted, {@code HOSTNAME} the container's short id), it asks the engine to stop that container: a
 * container stopped so is not started again by its {@code unless-stopped} policy, also across a daemon restart,
 * whereas a process that exited would be, as a fresh node taking calls. Anywhere else the JVM exits with status 0
 * after Spring closed the context ({@link SpringApplication#exit}).
 */
class NodeExit {

    private static final Logger log = LoggerFactory.getLogger(NodeExit.class);
    /** How long the engine lets this process end after SIGTERM before it kills it. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final ContainerEngine engine;
    private final ConfigurableApplicationContext context;

    NodeExit(ContainerEngine engine, ConfigurableApplicationContext context) {
        this.engine = engine;
        this.context = context;
    }

    /** Stops this node's container, or else exits the JVM with status 0; returns only if the stop did not end it. */
    void stop(String nodeId) {
        Optional<String> container = Optional.empty();
        try {
            container = ownContainer(System.getenv("HOSTNAME"), ProcessHandle.current().pid(), procSelf(),
                    engine::containerId);
        } catch (RuntimeException e) {
            log.warn("Could not tell whether node {} runs in a container of its engine: {}", nodeId, e.getMessage());
        }
        if (container.isPresent()) {
            log.info("Node {} drained: stopping its container {}", nodeId, container.get().substring(0, 12));
            try {
                engine.stop(container.get(), STOP_TIMEOUT); // its SIGTERM closes this process as any stop does
                return;
            } catch (RuntimeException e) {
                log.warn("Could not stop the container of node {} ({}); the process exits instead", nodeId,
                        e.getMessage());
            }
        }
        log.info("Node {} drained: the process exits", nodeId);
        System.exit(SpringApplication.exit(context, () -> 0));
    }

    /**
     * The full id of the container this process is the main process of, when its engine is the one given: this
     * process is PID 1 (so stopping the container stops this process and nothing else), the engine has a container
     * named by {@code hostname}, and that container's id appears in this process's mounts or cgroups (Docker mounts
     * {@code /etc/hostname} from the container's own directory), so a namesake elsewhere is never taken for it.
     */
    static Optional<String> ownContainer(String hostname, long pid, String procSelf,
                                         Function<String, Optional<String>> containerId) {
        if (pid != 1 || hostname == null || hostname.isBlank()) {
            return Optional.empty();
        }
        return containerId.apply(hostname).filter(id -> id.length() >= 12 && procSelf.contains(id));
    }

    private static String procSelf() {
        StringBuilder text = new StringBuilder();
        for (String file : new String[] {"/proc/self/mountinfo", "/proc/self/cgroup"}) {
            try {
                text.append(Files.readString(Path.of(file))).append('\n');
            } catch (IOException | RuntimeException e) {
                // not Linux, or not readable: no container id from here
            }
        }
        return text.toString();
    }
}

package io.cloudfunc.containers.node;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.docker.ComposeReplicas;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * One node per replica of a scaled compose service ({@code docker compose up --scale container-manager=3}), when
 * {@code containers.node-per-replica} is true: replicas share their configuration, so each one derives its node from
 * the replica number compose gave its container (asked of the Docker engine before the application starts).
 * Replica 1 is the configured node ({@code containers.node}, default {@code local}) with the configured directories;
 * replica n is node {@code <node>-n}, whose socket root, code cache and build directory are the configured ones moved
 * under {@code nodes/<node>-n/} beside them (e.g. {@code /var/lib/cloudfunc/nodes/local-2/containers}). The number
 * stays with a re-created container, and so do the node's id, queue and directories: it finds and removes what it
 * left behind, and only that (nodes never remove each other's containers).
 */
public class ReplicaNodeEnvironment implements EnvironmentPostProcessor {

    static final String ENABLED = "containers.node-per-replica";

    private final Log log;

    public ReplicaNodeEnvironment(DeferredLogFactory logs) {
        this.log = logs.getLog(ReplicaNodeEnvironment.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty(ENABLED, Boolean.class, false)) {
            return;
        }
        String node = environment.getProperty("containers.node", ContainerManagerProperties.DEFAULT_NODE);
        Path socketRoot = path(environment, "containers.socket-root", ContainerManagerProperties.DEFAULT_SOCKET_ROOT);
        Path codeCache = path(environment, "containers.code-cache", ContainerManagerProperties.DEFAULT_CODE_CACHE);
        Path workDir = path(environment, "containers.builds.work-dir", null);
        // Docker makes a container's host name its short id
        int replica = ComposeReplicas.number(
                environment.getProperty("containers.docker-host", ContainerManagerProperties.DEFAULT_DOCKER_HOST),
                environment.getRequiredProperty("HOSTNAME"));
        Map<String, Object> settings = settings(replica, node, socketRoot, codeCache, workDir);
        environment.getPropertySources().addFirst(new MapPropertySource("compose replica " + replica, settings));
        log.info("Compose replica " + replica + ": node " + settings.getOrDefault("containers.node", node)
                + ", code cache " + settings.getOrDefault("containers.code-cache", codeCache)
                + ", container directories " + settings.getOrDefault("containers.socket-root", socketRoot));
    }

    private static Path path(ConfigurableEnvironment environment, String property, Path fallback) {
        String value = environment.getProperty(property);
        return value != null && !value.isBlank() ? Path.of(value) : fallback;
    }

    /**
     * What replica {@code replica} of a manager configured with these values changes: nothing for replica 1; for
     * replica n the node ({@code <node>-n}) and each directory, moved to {@code <its parent>/nodes/<node>-n/<its
     * name>} (the build directory only when configured: by default it follows the code cache).
     */
    static Map<String, Object> settings(int replica, String node, Path socketRoot, Path codeCache, Path workDir) {
        if (replica < 1) {
            throw new IllegalArgumentException("compose replica numbers start at 1, not " + replica);
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        if (replica == 1) {
            return settings;
        }
        String replicaNode = node + "-" + replica;
        settings.put("containers.node", replicaNode);
        settings.put("containers.socket-root", ofNode(socketRoot, replicaNode));
        settings.put("containers.code-cache", ofNode(codeCache, replicaNode));
        if (workDir != null) {
            settings.put("containers.builds.work-dir", ofNode(workDir, replicaNode));
        }
        return settings;
    }

    private static String ofNode(Path directory, String node) {
        Path absolute = directory.toAbsolutePath();
        return absolute.resolveSibling("nodes").resolve(node).resolve(absolute.getFileName()).toString();
    }
}

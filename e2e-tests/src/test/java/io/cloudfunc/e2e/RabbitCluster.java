package io.cloudfunc.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A RabbitMQ cluster of its own, started from the machine's {@code rabbitmq-server} the way Debian's package runs
 * several nodes on one host: each node with its own name ({@code cf-it-<id>-<n>@localhost}), AMQP and distribution
 * ports, configuration file (the machine's pins the listener to 5672), plugins file (none), data, log and pid files
 * in a temporary directory owned by the {@code rabbitmq} user (the package's scripts run the node as that user, with
 * its Erlang cookie, which the nodes and {@code rabbitmqctl} share). The nodes after the first join it with
 * {@code rabbitmqctl join_cluster}. The machine's own node (rabbit@localhost on 5672) is never touched.
 */
final class RabbitCluster implements AutoCloseable {

    record Node(String name, int port, Path dir) {

        Path pidFile() {
            return dir.resolve("pid");
        }
    }

    private final String id = UUID.randomUUID().toString().substring(0, 6);
    private final Path dir;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Node> killed = new ArrayList<>();

    RabbitCluster(int size) throws Exception {
        dir = Files.createTempDirectory("cloudfunc-rabbit-cluster-");
        try {
            for (int n = 1; n <= size; n++) {
                nodes.add(start(n));
            }
            for (Node node : nodes) {
                // waits for the pid file and then for the node's applications
                Platform.run("rabbitmqctl", "-q", "-n", node.name(), "wait", node.pidFile().toString(),
                        "--timeout", "90");
            }
            Node first = nodes.getFirst();
            for (Node node : nodes.subList(1, size)) {
                Platform.run("rabbitmqctl", "-q", "-n", node.name(), "stop_app");
                Platform.run("rabbitmqctl", "-q", "-n", node.name(), "join_cluster", first.name());
                Platform.run("rabbitmqctl", "-q", "-n", node.name(), "start_app");
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private Node start(int n) throws Exception {
        var node = new Node("cf-it-" + id + "-" + n + "@localhost", Platform.freePort(),
                Files.createDirectories(dir.resolve("node" + n)));
        int distPort = Platform.freePort();
        Files.writeString(node.dir().resolve("rabbitmq.conf"), "listeners.tcp.local = 127.0.0.1:" + node.port() + "\n");
        Files.writeString(node.dir().resolve("enabled_plugins"), "[].\n");
        Platform.run("chown", "-R", "rabbitmq:rabbitmq", dir.toString());
        var builder = new ProcessBuilder("rabbitmq-server", "-detached").redirectErrorStream(true)
                .redirectOutput(node.dir().resolve("start.log").toFile());
        var env = builder.environment();
        env.put("RABBITMQ_NODENAME", node.name());
        env.put("RABBITMQ_NODE_PORT", Integer.toString(node.port()));
        env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
        env.put("RABBITMQ_CONFIG_FILE", node.dir().resolve("rabbitmq.conf").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", node.dir().resolve("enabled_plugins").toString());
        env.put("RABBITMQ_MNESIA_BASE", node.dir().resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", node.dir().resolve("log").toString());
        env.put("RABBITMQ_PID_FILE", node.pidFile().toString());
        Process starter = builder.start();
        if (!starter.waitFor(60, TimeUnit.SECONDS) || starter.exitValue() != 0) {
            throw new IllegalStateException("rabbitmq-server -detached failed for " + node.name() + ": "
                    + Files.readString(node.dir().resolve("start.log")));
        }
        return node;
    }

    List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** Every node's AMQP address, for {@code spring.rabbitmq.addresses}. */
    String addresses() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    /** A node that was not killed, for {@code rabbitmqctl -n}. */
    String liveNode() {
        return nodes.stream().filter(node -> !killed.contains(node)).findFirst().orElseThrow().name();
    }

    /** Kills the node's Erlang VM with SIGKILL and waits until it is gone. */
    void kill(Node node) throws Exception {
        long pid = Long.parseLong(Files.readString(node.pidFile()).strip());
        ProcessHandle process = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException(node.name() + " is not running"));
        killed.add(node);
        Platform.run("kill", "-KILL", Long.toString(pid));
        process.onExit().get(30, TimeUnit.SECONDS);
    }

    /** Stops every node still running (and kills one that does not stop), then removes their files. */
    @Override
    public void close() throws Exception {
        for (Node node : nodes) {
            if (killed.contains(node)) {
                continue;
            }
            try {
                Platform.run("rabbitmqctl", "-q", "-n", node.name(), "stop");
            } catch (Exception e) {
                try {
                    Platform.run("kill", "-KILL", Files.readString(node.pidFile()).strip());
                } catch (Exception ignored) {
                    // never started
                }
            }
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }
}

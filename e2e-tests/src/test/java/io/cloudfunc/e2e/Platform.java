package io.cloudfunc.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The four CloudFunc services started from their built jars as separate processes on loopback ports, against the
 * real PostgreSQL (a fresh database), the real RabbitMQ (a fresh vhost; the machine's broker, or a cluster a test
 * started, {@link RabbitCluster}) and the real Docker engine. More instances of a service run beside the first with
 * {@link #startInstance}.
 */
final class Platform implements AutoCloseable {

    private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/";
    /** Ports handed out by {@link #freePort} in this JVM: two platforms never get the same one. */
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    final String id = UUID.randomUUID().toString().substring(0, 8);
    final String database = "cloudfunc_e2e_" + id;
    final String vhost = "cf_e2e_" + id;
    final Path workDir;
    final Path socketRoot;
    final int registryPort = freePort();
    final int schedulerPort = freePort();
    final int managerPort = freePort();
    final int gatewayPort = freePort();
    /** The bootstrap admin key the registry installs at startup (CLOUDFUNC_BOOTSTRAP_KEY); every call sends it. */
    final String adminKey = "cf_e2e-bootstrap-" + UUID.randomUUID();
    /**
     * The running services by name (a module's, or an {@linkplain #startInstance instance's}), in start order; a
     * restart replaces a process in place.
     */
    private final Map<String, Process> processes = new LinkedHashMap<>();
    /** Each module's port and arguments, so that a restart starts it exactly as before. */
    private final Map<String, Integer> ports = new HashMap<>();
    private final Map<String, String> jars = new HashMap<>();
    private final Map<String, List<String>> arguments = new HashMap<>();
    /** Services a test killed and has not started again: health waits do not take them for services that died. */
    private final Set<String> killed = new HashSet<>();
    /** The RabbitMQ node {@code rabbitmqctl} manages the vhost on (null: the machine's own), asked each time. */
    private final Supplier<String> rabbitNode;
    /** Arguments every service gets (e.g. the broker cluster's addresses and the queue type). */
    private final List<String> serviceArgs;
    private final Path root = Path.of(System.getProperty("cloudfunc.root", "..")).toAbsolutePath().normalize();
    private final String version = System.getProperty("cloudfunc.version", "0.1.0-SNAPSHOT");

    Platform() throws Exception {
        this(() -> null, List.of());
    }

    /**
     * @param rabbitNode  the RabbitMQ node to manage the platform's vhost on ({@code rabbitmqctl -n}), null for the
     *                    machine's own; asked each time (a cluster's node may have died meanwhile)
     * @param serviceArgs arguments for every service
     */
    Platform(Supplier<String> rabbitNode, List<String> serviceArgs) throws Exception {
        this.rabbitNode = rabbitNode;
        this.serviceArgs = List.copyOf(serviceArgs);
        workDir = Files.createTempDirectory("cloudfunc-e2e-");
        socketRoot = Files.createDirectories(workDir.resolve("containers"));
        sql("CREATE DATABASE " + database);
        rabbitmqctl("add_vhost", vhost);
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
    }

    URI gateway() {
        return URI.create("http://127.0.0.1:" + gatewayPort);
    }

    void start(List<String> gatewayArgs) throws Exception {
        start(gatewayArgs, List.of());
    }

    /** With extra arguments for the container-manager too (e.g. a runtime image built from this tree). */
    void start(List<String> gatewayArgs, List<String> managerArgs) throws Exception {
        start(gatewayArgs, managerArgs, List.of());
    }

    /** The node id of the container-manager {@link #start} starts. */
    String node() {
        return "e2e-" + id;
    }

    /** With extra arguments for the scheduler too (e.g. a shorter node timeout). */
    void start(List<String> gatewayArgs, List<String> managerArgs, List<String> schedulerArgs) throws Exception {
        String rabbit = "--spring.rabbitmq.virtual-host=" + vhost;
        start("function-registry", registryPort, List.of(
                "--spring.datasource.url=" + PG_URL + database, "--spring.datasource.username=postgres", rabbit,
                "--registry.secrets.key=" + SharedPlatform.SECRETS_KEY));
        List<String> scheduler = new ArrayList<>(List.of(rabbit,
                "--scheduler.registry-url=http://127.0.0.1:" + registryPort));
        scheduler.addAll(schedulerArgs);
        start("scheduler", schedulerPort, scheduler);
        List<String> manager = managerArguments(node(), managerPort, socketRoot, workDir.resolve("code-cache"));
        manager.addAll(managerArgs);
        this.managerArgs = List.copyOf(managerArgs);
        start("container-manager", managerPort, manager);
        List<String> args = new ArrayList<>(List.of(rabbit,
                "--gateway.registry-url=http://127.0.0.1:" + registryPort,
                "--gateway.scheduler-url=http://127.0.0.1:" + schedulerPort,
                "--gateway.container-manager-urls=http://127.0.0.1:" + managerPort));
        args.addAll(gatewayArgs);
        start("api-gateway", gatewayPort, args);
        awaitHealthy(registryPort, "function-registry");
        awaitHealthy(schedulerPort, "scheduler");
        awaitHealthy(managerPort, "container-manager");
        awaitHealthy(gatewayPort, "api-gateway");
    }

    /** The container-manager's extra arguments {@link #start} was given: {@link #startNode} gives them too. */
    private List<String> managerArgs = List.of();

    /**
     * Starts one more container-manager node, {@code nodeId}, with its own port, socket and code directories and the
     * extra arguments the first one got; {@link #kill}, {@link #restart} and {@link #process} know it as
     * {@code container-manager@<nodeId>}. Returns once it is healthy.
     */
    String startNode(String nodeId) throws Exception {
        String key = "container-manager@" + nodeId;
        int port = freePort();
        Path sockets = Files.createDirectories(workDir.resolve("containers-" + nodeId));
        List<String> manager = managerArguments(nodeId, port, sockets, workDir.resolve("code-cache-" + nodeId));
        manager.addAll(managerArgs);
        start(key, "container-manager", port, manager);
        awaitHealthy(port, key);
        return key;
    }

    /** The process of a service ({@code container-manager@<node>} for a node {@link #startNode} started). */
    Process process(String key) {
        return processes.get(key);
    }

    private List<String> managerArguments(String nodeId, int port, Path sockets, Path codeCache) {
        return new ArrayList<>(List.of("--spring.rabbitmq.virtual-host=" + vhost,
                "--containers.registry-url=http://127.0.0.1:" + registryPort,
                "--containers.socket-root=" + sockets,
                "--containers.code-cache=" + codeCache,
                "--containers.node=" + nodeId,
                "--containers.announce.url=http://127.0.0.1:" + port,
                // GET /stats/series/nodes within seconds rather than a minute
                "--containers.sample-interval=2s",
                // These tests find a function's containers by their io.cloudfunc.function label, which a prewarmed
                // container (started before it had a function) does not carry; prewarming is covered by PoolIT.
                "--containers.runtimes.python.prewarm-min=0", "--containers.runtimes.python.prewarm-max=0",
                "--containers.runtimes.node.prewarm-min=0", "--containers.runtimes.node.prewarm-max=0",
                "--containers.runtimes.java.prewarm-min=0", "--containers.runtimes.java.prewarm-max=0"));
    }

    /** Rows of a query on the platform's database, each as its columns' text joined by '|'. */
    List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (var connection = DriverManager.getConnection(PG_URL + database, "postgres", "");
             var st = connection.createStatement();
             var result = st.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                var row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(result.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    /**
     * Kills a service with SIGKILL ({@link Process#destroyForcibly()} on Linux): no shutdown hook, no graceful close;
     * its unacknowledged messages go back to their queues and its containers stay behind as orphans.
     */
    void kill(String module) throws Exception {
        Process process = processes.get(module);
        if (process == null) {
            throw new IllegalArgumentException("no service " + module);
        }
        killed.add(module);
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(module + " did not die within 30 s of SIGKILL");
        }
    }

    /** Starts a killed service again with the same port and arguments (its log goes on in the same file). */
    void restart(String module) throws Exception {
        if (processes.get(module).isAlive()) {
            throw new IllegalStateException(module + " is still running");
        }
        start(module, jars.get(module), ports.get(module), arguments.get(module));
        awaitHealthy(ports.get(module), module);
    }

    /**
     * Starts one more process of a running module, named {@code name} (for {@link #kill}, {@link #restart} and
     * {@link #log}), with the first one's arguments on a port of its own, and waits until it is healthy.
     *
     * @return its port
     */
    int startInstance(String module, String name) throws Exception {
        if (!arguments.containsKey(module) || processes.containsKey(name)) {
            throw new IllegalArgumentException("no module " + module + " running, or " + name + " taken");
        }
        int port = freePort();
        start(name, module, port, arguments.get(module));
        awaitHealthy(port, name);
        return port;
    }

    /**
     * Stops an instance started with {@link #startInstance} (SIGTERM, SIGKILL after 30 s) and forgets it, so that
     * later health waits do not take it for a service that died; nothing when it does not run.
     */
    void stop(String name) throws Exception {
        Process process = processes.remove(name);
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Stops the RabbitMQ application (not the Erlang node) and starts it again after {@code down}; durable queues and
     * persistent messages stay.
     */
    static void restartBroker(Duration down) throws Exception {
        run("rabbitmqctl", "-q", "stop_app");
        try {
            Thread.sleep(down);
        } finally {
            run("rabbitmqctl", "-q", "start_app");
        }
    }

    /** Restarts the PostgreSQL cluster (fast shutdown: open sessions are cut off). */
    static void restartDatabase() throws Exception {
        run("pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart", "-m", "fast");
    }

    private void start(String module, int port, List<String> args) throws IOException {
        start(module, module, port, args);
    }

    private void start(String key, String module, int port, List<String> args) throws IOException {
        Path jar = root.resolve(module).resolve("target").resolve(module + "-" + version + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first (./mvnw package)");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", jar.toString(),
                "--server.port=" + port));
        command.addAll(args);
        command.addAll(serviceArgs);
        Path log = workDir.resolve(key + ".log");
        // appended: a restarted service's log follows its killed predecessor's
        var builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().remove("CLOUDFUNC_BOOTSTRAP_KEY_FILE");
        builder.environment().put("CLOUDFUNC_BOOTSTRAP_KEY", adminKey);
        processes.put(key, builder.start());
        killed.remove(key);
        jars.put(key, module);
        ports.put(key, port);
        arguments.put(key, List.copyOf(args));
    }

    private void awaitHealthy(int port, String module) throws Exception {
        var http = HttpClient.newHttpClient();
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).build();
        // generous: on a loaded 2-core machine four JVMs starting at once have taken over 150 s
        Instant deadline = Instant.now().plus(Duration.ofSeconds(300));
        while (Instant.now().isBefore(deadline)) {
            for (var service : processes.entrySet()) {
                Process p = service.getValue();
                if (!p.isAlive() && !killed.contains(service.getKey())) {
                    throw new IllegalStateException(service.getKey() + " exited (code " + p.exitValue() + "); logs in "
                            + workDir);
                }
            }
            try {
                var response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(module + " did not become healthy within 300 s; logs in " + workDir);
    }

    String log(String module) throws IOException {
        return Files.readString(workDir.resolve(module + ".log"));
    }

    @Override
    public void close() throws Exception {
        // stop in reverse order; SIGTERM lets the container-manager remove its containers
        List<Process> started = new ArrayList<>(processes.values());
        for (Process p : started.reversed()) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        try {
            sql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } finally {
            rabbitmqctl("delete_vhost", vhost);
            // the services' logs stay in workDir for a post-mortem; the containers' files and code go
            deleteTree(socketRoot);
            deleteTree(workDir.resolve("code-cache"));
            for (String key : jars.keySet()) {
                if (key.startsWith("container-manager@")) {
                    String node = key.substring("container-manager@".length());
                    deleteTree(workDir.resolve("containers-" + node));
                    deleteTree(workDir.resolve("code-cache-" + node));
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static List<String> containersOf(String functionName) throws Exception {
        var out = new String(new ProcessBuilder("docker", "ps", "-aq", "--filter",
                "label=io.cloudfunc.function=" + functionName).redirectErrorStream(true).start()
                .getInputStream().readAllBytes()).strip();
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }

    /** A path of the repository, e.g. {@code runtimes/image/example/stdio-hello}. */
    Path repository(String path) {
        return root.resolve(path);
    }

    /** Runs the docker CLI (legacy builder: no BuildKit here) and returns its output; fails on a non-zero exit. */
    /**
     * The Python base image bin/run-tests' cf_ensure_base_images chose: the public one, or where no registry answers
     * the local build standing in for it (runtimes/base-images/images).
     */
    static String pythonBaseImage() {
        return System.getenv().getOrDefault("PYTHON_BASE_IMAGE", "python:3.13-slim");
    }

    static String docker(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DOCKER_BUILDKIT", "0");
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private static void sql(String statement) throws SQLException {
        try (var connection = DriverManager.getConnection(PG_URL + "postgres", "postgres", "");
             var st = connection.createStatement()) {
            st.execute(statement);
        }
    }

    private void rabbitmqctl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
        String node = rabbitNode.get();
        if (node != null) {
            command.addAll(List.of("-n", node));
        }
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    /**
     * A port a service can bind seconds from now: below the kernel's ephemeral range (a port the kernel picks for
     * {@code new ServerSocket(0)} is one it also hands to outgoing connections, and the services' own connections to
     * PostgreSQL and RabbitMQ took one of ours now and then), free now, and not given out before in this JVM.
     */
    static synchronized int freePort() {
        int low = ephemeralLow();
        for (int tries = 0; tries < 1_000; tries++) {
            int port = 10_000 + ThreadLocalRandom.current().nextInt(low - 10_000);
            if (!GIVEN.add(port)) {
                continue;
            }
            try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // in use: try another
            }
        }
        throw new IllegalStateException("no free port below " + low);
    }

    /** The first port of the kernel's ephemeral range (32768 where it cannot be read or makes no sense). */
    private static int ephemeralLow() {
        try { // by lines: a /proc file says it is empty, and reading it by its size gets a part of it
            int low = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .getFirst().trim().split("\\s+")[0]);
            return low > 20_000 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}

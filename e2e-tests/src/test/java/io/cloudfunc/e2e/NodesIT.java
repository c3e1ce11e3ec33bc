package io.cloudfunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.cli.CloudFuncCli;
import io.cloudfunc.contracts.messaging.Topology;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Three container-manager nodes on this machine (one scheduler, one registry, one gateway), each allowed two
 * containers: warm-aware placement, spill, the cluster-wide maxInstances, a node killed mid-burst and started again,
 * a node and then the scheduler killed (a new scheduler takes over the dead node's queue), and a drain (the node
 * exits). Node and gateway count a node out after 3 s here (10 s by default). The functions return their
 * container's host name (its short id), which {@code docker ps} maps to the node that started it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String SOURCE = """
            import socket, time
            def handler(event, context):
                time.sleep(event.get("sleep", 0))
                return {"host": socket.gethostname()}
            """;

    private static Platform platform;
    private static String nodeB;
    private static String nodeC;
    private static final ExecutorService CALLERS = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeAll
    static void startThreeNodes() throws Exception {
        platform = new Platform();
        List<String> nodeArgs = List.of("--containers.pool.max-containers=2");
        platform.start(List.of("--gateway.node-timeout=3s"), nodeArgs, List.of("--scheduler.node-timeout=3s",
                "--logging.level.io.cloudfunc.scheduler.placement=DEBUG"));
        nodeB = platform.node() + "-b";
        nodeC = platform.node() + "-c";
        platform.startNode(nodeB);
        platform.startNode(nodeC);
        awaitNodes(Set.of(platform.node(), nodeB, nodeC), "up");
    }

    @AfterAll
    static void stop() throws Exception {
        CALLERS.shutdownNow();
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void nodesListsTheThreeNodesWithTheirCapacity() throws Exception {
        JsonNode nodes = json(get("/nodes"));
        assertThat(nodes).hasSize(3);
        for (JsonNode node : nodes) {
            assertThat(node.path("state").asString()).isEqualTo("up");
            assertThat(node.path("capacity").path("maxContainers").asInt()).isEqualTo(2);
        }
        var cli = cli("nodes");
        assertThat(cli.exitCode).as(cli.err).isZero();
        assertThat(cli.out).contains("ID", "STATE", "FREE SLOTS", platform.node(), nodeB, nodeC);
    }

    @Test
    @Order(2)
    void sequentialCallsColdStartOnceAndStayOnOneNode() throws Exception {
        deploy("nodes-seq", null);
        awaitQuiet();
        Set<String> hosts = new HashSet<>();
        List<String> starts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            if (i == 1) {
                // until a node's announcement shows the new container, the scheduler only has its own count of the
                // calls it placed, which quick calls in a row can make look like a full node (docs/architecture.md)
                awaitAnnounced("nodes-seq");
            }
            var response = invoke("nodes-seq", "{}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            hosts.add(json(response).path("host").asString());
            starts.add(response.headers().firstValue("X-CloudFunc-Start").orElse(""));
        }
        assertThat(starts.getFirst()).isEqualTo("cold");
        assertThat(starts.subList(1, starts.size())).containsOnly("warm");
        assertThat(hosts).hasSize(1);
        assertThat(nodesOf("nodes-seq").values()).hasSize(1);
    }

    @Test
    @Order(3)
    void aBurstOverOneNodesRoomSpreadsToTheOthers() throws Exception {
        deploy("nodes-burst", null);
        awaitQuiet();
        List<HttpResponse<String>> answers = all(6, i -> invoke("nodes-burst", "{\"sleep\":2}"));
        Set<String> hosts = new HashSet<>();
        for (var answer : answers) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            hosts.add(json(answer).path("host").asString());
        }
        Map<String, String> nodes = nodesOf("nodes-burst");
        assertThat(new HashSet<>(nodes.values())).as("nodes that ran nodes-burst: %s", nodes).hasSizeGreaterThan(1);
        assertThat(hosts).hasSizeGreaterThan(2); // more containers than one node may have
    }

    @Test
    @Order(4)
    void maxInstancesHoldsAcrossTheCluster() throws Exception {
        deploy("nodes-capped", 2);
        awaitQuiet(); // fresh announcements: a stale one can make a node look full and the function spill
        List<HttpResponse<String>> accepted = all(6, i -> invokeAsync("nodes-capped", "{\"sleep\":1}"));
        Set<String> hosts = new HashSet<>();
        for (var answer : accepted) {
            JsonNode record = awaitFinal(json(answer).path("invocationId").asString());
            assertThat(record.path("status").asString()).as(record.toString()).isEqualTo("SUCCEEDED");
            hosts.add(record.path("result").path("host").asString());
        }
        assertThat(hosts).as("containers that ran nodes-capped (maxInstances 2)").hasSizeLessThanOrEqualTo(2);
    }

    @Test
    @Order(5)
    void aNodeKilledMidBurstLosesNoCallAndComesBack() throws Exception {
        deploy("nodes-kill", null);
        List<Future<HttpResponse<String>>> async = new ArrayList<>();
        List<Future<HttpResponse<String>>> sync = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            async.add(CALLERS.submit(() -> invokeAsync("nodes-kill", "{\"sleep\":2}")));
        }
        for (int i = 0; i < 3; i++) {
            sync.add(CALLERS.submit(() -> invoke("nodes-kill", "{\"sleep\":2}")));
        }
        // the node running the first of them dies with calls running and calls waiting in its queue
        String victim = awaitAnyNodeOf("nodes-kill");
        String key = key(victim);
        platform.kill(key);

        for (var future : async) {
            var answer = future.get();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            JsonNode record = awaitFinal(json(answer).path("invocationId").asString());
            assertThat(record.path("status").asString()).as(record.toString()).isEqualTo("SUCCEEDED");
        }
        for (var future : sync) {
            var answer = future.get();
            if (answer.statusCode() != 200) {
                assertThat(answer.headers().firstValue("Content-Type")).as(answer.body())
                        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            }
        }
        awaitNothingQueuedOrRunning("nodes-kill");
        awaitNodes(Set.of(victim), "out");

        // it comes back (removing its orphans) and gets work again
        platform.restart(key);
        awaitNodes(Set.of(victim), "up");
        deploy("nodes-join", null);
        all(9, i -> invoke("nodes-join", "{\"sleep\":2}"))
                .forEach(answer -> assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200));
        assertThat(nodesOf("nodes-join").values()).as("nodes that ran nodes-join").contains(victim);
    }

    @Test
    @Order(6)
    void aSchedulerStartedAfterANodeDiedMovesTheCallsLeftInItsQueue() throws Exception {
        deploy("nodes-orphan", null);
        awaitQuiet();
        var first = invoke("nodes-orphan", "{}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String dead = awaitAnyNodeOf("nodes-orphan");
        awaitAnnounced("nodes-orphan"); // its home now: the scheduler places its calls there while it has room

        // the node dies idle; for 3 s the scheduler still counts it live and parks calls in its queue, then the
        // scheduler dies too, before its takeover of that queue began
        platform.kill(key(dead));
        List<HttpResponse<String>> accepted = all(6, i -> invokeAsync("nodes-orphan", "{\"sleep\":1}"));
        platform.kill("scheduler");
        accepted.forEach(answer -> assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202));
        int left = waitingIn(dead);
        assertThat(left).as("calls left in the queue of the dead node").isPositive();

        // a new scheduler never heard the dead node: it learns of it from the registry's node samples
        platform.restart("scheduler");
        Set<String> deadHosts = new HashSet<>(containersOn("nodes-orphan", dead));
        for (var answer : accepted) {
            JsonNode record = awaitFinal(json(answer).path("invocationId").asString());
            assertThat(record.path("status").asString()).as(record.toString()).isEqualTo("SUCCEEDED");
            assertThat(record.path("attempt").asInt()).as("run once: %s", record).isEqualTo(1);
            String host = record.path("result").path("host").asString();
            assertThat(deadHosts).as("containers of the dead node").doesNotContain(host);
            assertThat(nodesOf("nodes-orphan")).as("the container that ran %s", record).containsKey(host)
                    .doesNotContainEntry(host, dead);
        }
        assertThat(waitingIn(dead)).isZero();
        assertThat(platform.log("scheduler")).contains("moved from node " + dead);
    }

    @Test
    @Order(7)
    void aDrainedNodeFinishesItsCallsTakesNoNewOnesAndExits() throws Exception {
        deploy("nodes-drain", null);
        List<Future<HttpResponse<String>>> first = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            first.add(CALLERS.submit(() -> invokeAsync("nodes-drain", "{\"sleep\":3}")));
        }
        String drained = awaitAnyNodeOf("nodes-drain");
        Set<String> drainedHosts = new HashSet<>(containersOn("nodes-drain", drained));
        Process process = platform.process(key(drained));

        var cli = cli("nodes", "drain", drained);
        assertThat(cli.exitCode).as(cli.err).isZero();
        assertThat(cli.out).contains("Draining node " + drained, "then stops");
        awaitNodes(Set.of(drained), "draining", "drained", "out");

        List<HttpResponse<String>> later = all(4, i -> invokeAsync("nodes-drain", "{\"sleep\":1}"));
        for (var future : first) {
            JsonNode record = awaitFinal(json(future.get()).path("invocationId").asString());
            assertThat(record.path("status").asString()).as(record.toString()).isEqualTo("SUCCEEDED");
        }
        for (var answer : later) {
            JsonNode record = awaitFinal(json(answer).path("invocationId").asString());
            assertThat(record.path("status").asString()).as(record.toString()).isEqualTo("SUCCEEDED");
            String host = record.path("result").path("host").asString();
            assertThat(drainedHosts).as("containers of the drained node").doesNotContain(host);
            assertThat(nodesOf("nodes-drain")).as("the container that ran %s", record).containsKey(host)
                    .doesNotContainEntry(host, drained);
        }

        // its calls done and its containers removed, the node's process ends, with status 0
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("the drained node exits").isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(containersOn("nodes-drain", drained)).isEmpty();
        awaitNodes(Set.of(drained), "out");

        var notFound = send(HttpRequest.newBuilder(uri("/nodes/no-such-node/drain")).POST(BodyPublishers.noBody()));
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.body()).contains("node-not-found");
    }

    // --- helpers

    /** The platform's name of a node's process. */
    private static String key(String node) {
        return node.equals(platform.node()) ? "container-manager" : "container-manager@" + node;
    }

    /** The calls waiting in a node's queue (none taken by a consumer). */
    private static int waitingIn(String node) throws Exception {
        var factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setVirtualHost(platform.vhost);
        try (var connection = factory.newConnection(); var channel = connection.createChannel()) {
            return channel.queueDeclarePassive(Topology.nodeQueue(node)).getMessageCount();
        }
    }

    private static void deploy(String name, Integer maxInstances) throws Exception {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "runtime", "python", "code", SOURCE));
        if (maxInstances != null) {
            body.put("maxInstances", maxInstances);
        }
        var deployed = send(HttpRequest.newBuilder(uri("/functions")).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(JSON.writeValueAsString(body))));
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
    }

    private static HttpResponse<String> invoke(String function, String event) throws Exception {
        return send(HttpRequest.newBuilder(uri("/functions/" + function + "/invoke"))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(event)));
    }

    private static HttpResponse<String> invokeAsync(String function, String event) throws Exception {
        return send(HttpRequest.newBuilder(uri("/functions/" + function + "/invoke?async=true"))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(event)));
    }

    private interface Call {
        HttpResponse<String> call(int i) throws Exception;
    }

    /** {@code n} calls at once; their answers in order. */
    private static List<HttpResponse<String>> all(int n, Call call) throws Exception {
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            futures.add(CALLERS.submit((Callable<HttpResponse<String>>) () -> call.call(index)));
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (var future : futures) {
            answers.add(future.get());
        }
        return answers;
    }

    private static JsonNode awaitFinal(String id) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        JsonNode record = null;
        while (Instant.now().isBefore(deadline)) {
            var response = get("/invocations/" + id);
            if (response.statusCode() == 200) {
                record = json(response);
                if (Set.of("SUCCEEDED", "FAILED", "TIMED_OUT").contains(record.path("status").asString())) {
                    return record;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("invocation " + id + " did not end: " + record);
    }

    private static void awaitNothingQueuedOrRunning(String function) throws Exception {
        String sql = "SELECT count(*) FROM invocations WHERE function_name = '" + function
                + "' AND status IN ('QUEUED', 'RUNNING')";
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            if (platform.query(sql).equals(List.of("0"))) {
                return;
            }
            Thread.sleep(500);
        }
        assertThat(platform.query("SELECT id, status FROM invocations WHERE function_name = '" + function
                + "' AND status IN ('QUEUED', 'RUNNING')")).as("records left QUEUED or RUNNING").isEmpty();
    }

    /**
     * Waits until every node announces all its slots free (no call running or waiting, no container starting or
     * being removed, the deploy's code check included), so that a test starts from what the scheduler sees as idle.
     */
    private static void awaitQuiet() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String seen = "";
        while (Instant.now().isBefore(deadline)) {
            var response = get("/nodes");
            seen = response.body();
            boolean quiet = response.statusCode() == 200;
            for (JsonNode node : json(response)) {
                if (node.path("state").asString().equals("up")) {
                    JsonNode capacity = node.path("capacity");
                    quiet &= capacity.path("freeSlots").asInt() == capacity.path("maxContainers").asInt();
                }
            }
            if (quiet) {
                Thread.sleep(1_100); // and the schedulers have heard the same
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the nodes did not become idle: " + seen);
    }

    /** Waits until a node announces a container of {@code function}. */
    private static void awaitAnnounced(String function) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode node : json(get("/nodes"))) {
                for (JsonNode warm : node.path("functions")) {
                    if (warm.path("name").asString().equals(function)) {
                        Thread.sleep(1_100); // and the scheduler has heard it too
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no node announced a container of " + function);
    }

    /** Waits until every node of {@code ids} is in one of {@code states} in {@code GET /nodes}. */
    private static void awaitNodes(Set<String> ids, String... states) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        String seen = "";
        while (Instant.now().isBefore(deadline)) {
            var response = get("/nodes");
            seen = response.body();
            if (response.statusCode() == 200) {
                Set<String> matching = new HashSet<>();
                for (JsonNode node : json(response)) {
                    if (List.of(states).contains(node.path("state").asString())) {
                        matching.add(node.path("id").asString());
                    }
                }
                if (matching.containsAll(ids)) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("nodes " + ids + " not " + List.of(states) + ": " + seen);
    }

    /**
     * The function's containers (short id, as their host name) and the node of this platform that owns each (the
     * containers an earlier, killed run of this test left on the engine belong to other nodes, and are left out).
     */
    private static Map<String, String> nodesOf(String function) throws Exception {
        Map<String, String> nodes = new HashMap<>();
        String out = Platform.docker("ps", "-a", "--filter", "label=io.cloudfunc.function=" + function,
                "--format", "{{.ID}} {{.Label \"io.cloudfunc.manager\"}}").strip();
        for (String line : out.isEmpty() ? new String[0] : out.split("\n")) {
            String[] parts = line.strip().split(" ", 2);
            String node = parts.length > 1 ? parts[1] : "";
            if (node.startsWith(platform.node())) {
                nodes.put(parts[0], node);
            }
        }
        return nodes;
    }

    private static List<String> containersOn(String function, String node) throws Exception {
        return nodesOf(function).entrySet().stream().filter(e -> e.getValue().equals(node)).map(Map.Entry::getKey)
                .toList();
    }

    /** The node of the function's first container, once there is one. */
    private static String awaitAnyNodeOf(String function) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            var nodes = nodesOf(function);
            if (!nodes.isEmpty()) {
                return nodes.values().iterator().next();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no container of " + function + " started");
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.header("Authorization", "Bearer " + platform.adminKey)
                .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static URI uri(String path) {
        return platform.gateway().resolve(path);
    }

    private record CliRun(int exitCode, String out, String err) {
    }

    private static CliRun cli(String... args) {
        List<String> line = new ArrayList<>(List.of("--url", platform.gateway().toString(),
                "--config", platform.workDir.resolve("no-cli-config.json").toString(),
                "--api-key", platform.adminKey));
        line.addAll(List.of(args));
        var out = new StringWriter();
        var err = new StringWriter();
        var commandLine = CloudFuncCli.commandLine(line.toArray(String[]::new));
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute(line.toArray(String[]::new));
        return new CliRun(code, out.toString(), err.toString());
    }
}

package io.cloudfunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Several of everything on a RabbitMQ cluster: the platform with two gateways and two schedulers, against a
 * three-node RabbitMQ cluster started here from the machine's rabbitmq-server ({@link RabbitCluster}; the machine's
 * own broker on 5672 is not touched), with {@code cloudfunc.messaging.queue-type=quorum}. Every service is given all
 * three nodes' addresses and connects to the first that answers.
 *
 * <ul>
 * <li>the queues on which accepted work waits are quorum queues;</li>
 * <li>an API key revoked through one gateway is refused by the other at once, though its key cache would trust the
 * key for five minutes (the registry's {@code ApiKeyRevoked} event);</li>
 * <li>one gateway and one scheduler killed with SIGKILL under asynchronous load through both gateways: the
 * surviving gateway's calls are all answered, every accepted call ends SUCCEEDED, the killed gateway's callers see
 * a broken connection, and any of their calls that reached the broker ends in a SUCCEEDED record too;</li>
 * <li>a broker node (the one every service is connected to, which leads every queue) killed with SIGKILL under
 * asynchronous load: every accepted call ends SUCCEEDED.</li>
 * </ul>
 * Under the lock the Docker tests share (it starts the platform and its containers).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final String FUNCTION = "cluster-echo";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration CALL_BOUND = Duration.ofSeconds(60);
    private static final Duration FINAL_WITHIN = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static RabbitCluster cluster;
    private static Platform platform;
    private static URI gateway1;
    private static URI gateway2;

    @BeforeAll
    static void startClusterAndPlatform() throws Exception {
        cluster = new RabbitCluster(3);
        platform = new Platform(cluster::liveNode, List.of("--spring.rabbitmq.addresses=" + cluster.addresses(),
                "--cloudfunc.messaging.queue-type=quorum"));
        // keys trusted for five minutes: a refusal within the test can only come from the revocation event
        platform.start(List.of("--gateway.auth.cache-ttl=5m"));
        gateway1 = platform.gateway();
        gateway2 = URI.create("http://127.0.0.1:" + platform.startInstance("api-gateway", "api-gateway-2"));
        platform.startInstance("scheduler", "scheduler-2");
        String source = """
                import time
                def handler(event, context):
                    time.sleep(0.05)
                    return {"n": event.get("n")}
                """;
        var deployed = send(gateway1, "/functions", "POST", JSON.writeValueAsString(Map.of("name", FUNCTION,
                "runtime", "python", "code", source)), platform.adminKey);
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
        var warm = invoke(gateway2, "{\"n\":0}", false);
        assertThat(warm.statusCode()).as(warm.body()).isEqualTo(200);
    }

    @AfterAll
    static void stopPlatformAndCluster() throws Exception {
        try {
            if (platform != null) {
                platform.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Test
    @Order(1)
    void queuesOnWhichAcceptedWorkWaitsAreQuorumQueues() throws Exception {
        Map<String, String> types = new TreeMap<>();
        String listing = capture("rabbitmqctl", "-q", "-n", cluster.liveNode(), "list_queues", "-p", platform.vhost,
                "name", "type");
        for (String line : listing.lines().toList()) {
            String[] columns = line.strip().split("\\s+");
            if (columns.length == 2) {
                types.put(columns[0], columns[1]);
            }
        }

        assertThat(types).containsEntry("cloudfunc.invoke", "quorum").containsEntry("cloudfunc.records", "quorum")
                .containsEntry("cloudfunc.callbacks", "quorum").containsEntry("cloudfunc.invoke.dead", "quorum")
                .containsEntry("cloudfunc.node-samples", "quorum")
                .containsEntry("cloudfunc.node.e2e-" + platform.id, "quorum");
        // the per-instance reply and event queues are exclusive: they stay classic, and die with their connection
        assertThat(types).hasEntrySatisfying(types.keySet().stream().filter(name -> name.startsWith(
                "cloudfunc.gateway.events.")).findFirst().orElseThrow(), type -> assertThat(type).isEqualTo("classic"));
    }

    @Test
    @Order(2)
    void aKeyRevokedThroughOneGatewayIsRefusedByTheOther() throws Exception {
        var created = send(gateway1, "/keys", "POST", "{\"name\":\"cluster-revoked\",\"role\":\"developer\"}",
                platform.adminKey);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode key = JSON.readTree(created.body());
        String secret = key.path("secret").asString();
        String id = key.path("key").path("id").asString();
        // the second gateway verifies the key and caches it
        assertThat(send(gateway2, "/functions", "GET", null, secret).statusCode()).isEqualTo(200);

        var revoked = send(gateway1, "/keys/" + id, "DELETE", null, platform.adminKey);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);

        // bounded wait for the event; the cached entry alone would let the key in for five minutes
        Instant deadline = Instant.now().plusSeconds(10);
        HttpResponse<String> answer = send(gateway2, "/functions", "GET", null, secret);
        while (answer.statusCode() == 200 && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            answer = send(gateway2, "/functions", "GET", null, secret);
        }
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
        assertThat(answer.body()).contains("revoked");
    }

    @Test
    @Order(3)
    void killingAGatewayAndASchedulerUnderLoadLosesNoAcceptedCall() throws Exception {
        String tag = "gateway-scheduler-" + platform.id;
        List<Call> calls;
        try (var load = load(List.of(gateway1, gateway2), tag)) {
            Thread.sleep(2_000);
            platform.kill("api-gateway-2");
            platform.kill("scheduler");
            Thread.sleep(3_000);
            calls = load.stop();
        }

        List<String> problems = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        for (Call call : calls) {
            outcomes.merge(call.gateway().getPort() + " " + call.label(), 1, Integer::sum);
            if (call.status() == 202) {
                accepted.add(call.invocationId());
            } else if (call.gateway().equals(gateway1)) {
                problems.add("call " + call.n() + " to the surviving gateway: " + call.label() + " " + call.detail());
            } else if (call.status() != 0) {
                problems.add("call " + call.n() + " to the killed gateway answered " + call.label() + " "
                        + call.detail());
            }
        }
        System.out.printf("[cluster] gateway and scheduler killed: %s%n", outcomes);
        assertThat(problems).as("logs in " + platform.workDir).isEmpty();
        assertThat(calls).as("the killed gateway's callers saw a broken connection")
                .anyMatch(call -> call.gateway().equals(gateway2) && call.status() == 0);
        assertAllSucceed(accepted);
        // the killed gateway's calls that reached the broker before it died run too: no record of the load is left
        // unfinished (those whose id nobody learnt are found by the tag in their event)
        awaitNoUnfinished(tag);
    }

    @Test
    @Order(4)
    void killingTheBrokerNodeEveryServiceIsConnectedToLosesNoAcceptedCall() throws Exception {
        String tag = "broker-node-" + platform.id;
        List<Call> calls;
        try (var load = load(List.of(gateway1), tag)) {
            Thread.sleep(2_000);
            cluster.kill(cluster.nodes().getFirst());
            Thread.sleep(6_000);
            calls = load.stop();
        }

        List<String> problems = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        for (Call call : calls) {
            outcomes.merge(call.label(), 1, Integer::sum);
            if (call.status() == 202) {
                accepted.add(call.invocationId());
            } else if (!call.problem503or504()) {
                // while the services reconnect a call may not be accepted (503/504, a problem detail): never worse
                problems.add("call " + call.n() + ": " + call.label() + " " + call.detail());
            }
        }
        System.out.printf("[cluster] broker node killed: %s%n", outcomes);
        assertThat(problems).as("logs in " + platform.workDir).isEmpty();
        // the platform accepts calls again with the node dead (bounded wait: the services may still be reconnecting)
        Instant deadline = Instant.now().plus(CALL_BOUND);
        HttpResponse<String> again = invoke(gateway1, "{\"n\":0,\"tag\":\"" + tag + "\"}", true);
        while (again.statusCode() != 202 && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            again = invoke(gateway1, "{\"n\":0,\"tag\":\"" + tag + "\"}", true);
        }
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        accepted.add(again.headers().firstValue("X-CloudFunc-Invocation-Id").orElseThrow());
        assertAllSucceed(accepted);
        awaitNoUnfinished(tag);
    }

    private static void assertAllSucceed(List<String> accepted) throws Exception {
        assertThat(accepted).as("no call was accepted, the test proves nothing").isNotEmpty();
        Map<String, String> states = Map.of();
        Instant deadline = Instant.now().plus(FINAL_WITHIN);
        while (Instant.now().isBefore(deadline)) {
            states = states(accepted);
            if (states.size() == accepted.size() && states.values().stream().allMatch("SUCCEEDED"::equals)) {
                break;
            }
            Thread.sleep(500);
        }
        Map<String, String> finalStates = states;
        List<String> notSucceeded = accepted.stream().filter(id -> !"SUCCEEDED".equals(finalStates.get(id)))
                .map(id -> id + ": " + finalStates.getOrDefault(id, "no record")).toList();
        assertThat(notSucceeded).as("accepted calls not SUCCEEDED within " + FINAL_WITHIN.toSeconds() + " s, of "
                + accepted.size() + " (logs in " + platform.workDir + ")").isEmpty();
    }

    private static void awaitNoUnfinished(String tag) throws Exception {
        String sql = "SELECT status, count(*) FROM invocations WHERE request->>'tag' = '" + tag + "' GROUP BY status";
        List<String> rows = platform.query(sql);
        Instant deadline = Instant.now().plus(FINAL_WITHIN);
        while (!rows.stream().allMatch(row -> row.startsWith("SUCCEEDED|")) && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            rows = platform.query(sql);
        }
        assertThat(rows).as("records of the load by status").isNotEmpty()
                .allMatch(row -> row.startsWith("SUCCEEDED|"));
    }

    private static Map<String, String> states(List<String> ids) throws Exception {
        String in = ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
        return platform.query("SELECT id, status FROM invocations WHERE id IN (" + in + ")").stream()
                .map(row -> row.split("\\|", 2)).collect(Collectors.toMap(row -> row[0], row -> row[1]));
    }

    private static HttpResponse<String> invoke(URI gateway, String event, boolean async) throws Exception {
        return send(gateway, "/functions/" + FUNCTION + "/invoke" + (async ? "?async=true" : ""), "POST", event,
                platform.adminKey);
    }

    private static HttpResponse<String> send(URI gateway, String path, String method, String json, String key)
            throws Exception {
        var request = HttpRequest.newBuilder(gateway.resolve(path)).timeout(CALL_BOUND)
                .header("Authorization", "Bearer " + key)
                .method(method, json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String capture(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    /** An asynchronous call's outcome: status 0 when no answer came (refused or cut). */
    record Call(int n, URI gateway, int status, String contentType, String invocationId, String detail) {

        String label() {
            return status == 0 ? "no answer" : Integer.toString(status);
        }

        boolean problem503or504() {
            return (status == 503 || status == 504) && contentType.startsWith("application/problem+json");
        }
    }

    /** Asynchronous calls every 50 ms (2,000 at the most), in turn to each gateway. */
    private static PacedLoad<Call> load(List<URI> gateways, String tag) {
        return new PacedLoad<>("cluster-load", Duration.ofMillis(50), 2_000, CALL_BOUND, n -> call(n,
                gateways.get(n % gateways.size()), "{\"n\":" + n + ",\"tag\":\"" + tag + "\"}"));
    }

    private static Call call(int n, URI gateway, String event) {
        try {
            var response = invoke(gateway, event, true);
            String id = response.headers().firstValue("X-CloudFunc-Invocation-Id").orElse(null);
            return new Call(n, gateway, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), id, response.body());
        } catch (ConnectException e) {
            return new Call(n, gateway, 0, "", null, "refused: " + e);
        } catch (IOException e) {
            return new Call(n, gateway, 0, "", null, "cut: " + e);
        } catch (Exception e) {
            return new Call(n, gateway, -1, "", null, e.toString());
        }
    }
}

package io.cloudfunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Crash tests against real processes, the real broker and the real database: while asynchronous and synchronous
 * calls go through the gateway, one component is killed (SIGKILL) or restarted and brought back. Every call the
 * gateway accepted (202) must end SUCCEEDED (at least once: none lost, none left QUEUED or RUNNING); duplicate runs
 * are counted and printed, not failed on. Every synchronous call ends within a bound, with a 200 or a 503/504 problem
 * detail (or is refused while the gateway is down).
 *
 * <p>One platform of its own (not the shared one: services die here), the faults one after another. Restarting
 * RabbitMQ and PostgreSQL touches every user of this machine's broker and database: run the class under the lock
 * the Docker tests share ({@code flock /tmp/cloudfunc-docker-tests.lock ./mvnw ... -Dit.test=CrashIT}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashIT {

    private static final String FUNCTION = "crash-echo";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** No call may take longer than this; reaching it is a hang, and fails the test. */
    private static final Duration CALL_BOUND = Duration.ofSeconds(90);
    /** How long accepted calls may take to reach their final record once the fault is over. */
    private static final Duration FINAL_WITHIN = Duration.ofSeconds(90);
    private static final Duration ASYNC_EVERY = Duration.ofMillis(80);
    /** Every n-th call of the load is a synchronous one. */
    private static final int SYNC_EVERY = 6;
    /** Load before the fault and after the component is back. */
    private static final Duration LOAD_AROUND = Duration.ofSeconds(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static Platform platform;
    private static Executions executions;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = new Platform();
        platform.start(List.of());
        // Each run writes its invocation id and a nonce of its own to the container's real stderr (past the runtime's
        // per-call capture), which Docker keeps in the container's log: so runs can be counted from outside. It takes
        // a moment, so that a fault finds calls in the middle of their run.
        String source = """
                import os, time, uuid
                def handler(event, context):
                    os.write(2, ("cf-exec %s %s\\n" % (context.invocation_id, uuid.uuid4().hex)).encode())
                    time.sleep(0.2)
                    return {"n": event.get("n")}
                """;
        var deployed = send(HttpRequest.newBuilder(uri("/functions")).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(JSON.writeValueAsString(Map.of("name", FUNCTION, "runtime", "python",
                        "code", source)))));
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
        var warm = invoke("{\"n\":0}", false);
        assertThat(warm.statusCode()).as(warm.body()).isEqualTo(200);
        executions = new Executions();
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        if (executions != null) {
            executions.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void noAcceptedCallIsLostWhenTheContainerManagerIsKilled() throws Exception {
        crash("container-manager killed", "container-manager", () -> {
            platform.kill("container-manager");
            platform.restart("container-manager");
        });
    }

    @Test
    @Order(2)
    void noAcceptedCallIsLostWhenTheSchedulerIsKilled() throws Exception {
        crash("scheduler killed", "scheduler", () -> {
            platform.kill("scheduler");
            platform.restart("scheduler");
        });
    }

    @Test
    @Order(3)
    void noAcceptedCallIsLostWhenTheRegistryIsKilled() throws Exception {
        crash("function-registry killed", "function-registry", () -> {
            platform.kill("function-registry");
            platform.restart("function-registry");
        });
    }

    @Test
    @Order(4)
    void noAcceptedCallIsLostWhenTheGatewayIsKilled() throws Exception {
        crash("api-gateway killed", "api-gateway", () -> {
            platform.kill("api-gateway");
            platform.restart("api-gateway");
        });
    }

    @Test
    @Order(5)
    void noAcceptedCallIsLostWhenRabbitMqRestarts() throws Exception {
        crash("RabbitMQ restarted", null, () -> {
            Platform.restartBroker(Duration.ofSeconds(3));
            awaitInvocable();
        });
    }

    @Test
    @Order(6)
    void noAcceptedCallIsLostWhenPostgresRestarts() throws Exception {
        crash("PostgreSQL restarted", null, () -> {
            Platform.restartDatabase();
            awaitInvocable();
        });
    }

    interface Fault {
        void inject() throws Exception;
    }

    /**
     * Load, the fault, the component back, load again; then every accepted call must end SUCCEEDED and every
     * synchronous call must have ended properly.
     *
     * @param killed the service whose process dies (its in-flight HTTP connections may be cut), or null
     */
    private static void crash(String fault, String killed, Fault inject) throws Exception {
        Instant started = Instant.now();
        List<Call> calls;
        try (var load = load(fault)) {
            Thread.sleep(LOAD_AROUND);
            inject.inject();
            Thread.sleep(LOAD_AROUND);
            calls = load.stop();
        }
        Duration faultTook = Duration.between(started, Instant.now());

        List<String> problems = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        Map<String, Integer> syncOutcomes = new TreeMap<>();
        Map<String, Integer> refused = new TreeMap<>();
        for (Call call : calls) {
            Outcome outcome = call.outcome();
            String label = outcome.label();
            if (outcome.kind() == Kind.HUNG) {
                problems.add((call.async() ? "async" : "sync") + " call " + call.n() + " got no answer within "
                        + CALL_BOUND.toSeconds() + " s");
            } else if (outcome.kind() == Kind.CUT && !"api-gateway".equals(killed)) {
                problems.add((call.async() ? "async" : "sync") + " call " + call.n() + " was cut off: "
                        + outcome.detail());
            } else if (call.async()) {
                if (outcome.kind() == Kind.ANSWERED && outcome.status() == 202) {
                    accepted.add(outcome.invocationId());
                } else if (outcome.kind() == Kind.ANSWERED && !outcome.isProblem503or504()) {
                    problems.add("async call " + call.n() + " answered " + outcome.status() + " "
                            + outcome.contentType() + ": " + outcome.detail());
                } else {
                    refused.merge(label, 1, Integer::sum);
                }
            } else {
                if (outcome.kind() == Kind.ANSWERED && outcome.status() != 200 && !outcome.isProblem503or504()) {
                    problems.add("sync call " + call.n() + " answered " + outcome.status() + " "
                            + outcome.contentType() + ": " + outcome.detail());
                }
                syncOutcomes.merge(label, 1, Integer::sum);
            }
        }

        Map<String, String> states = awaitFinalStates(accepted);
        Map<String, Long> byStatus = states.values().stream()
                .collect(Collectors.groupingBy(s -> s.split("\\|")[0], TreeMap::new, Collectors.counting()));
        long succeeded = byStatus.getOrDefault("SUCCEEDED", 0L);
        long lost = accepted.size() - states.size();
        Map<String, Integer> runs = executions.runsOf(accepted);
        int duplicates = runs.values().stream().mapToInt(n -> Math.max(0, n - 1)).sum();
        long unobserved = accepted.stream().filter(id -> !runs.containsKey(id)).count();

        System.out.printf("[crash] %s: accepted %d, succeeded %d, duplicates %d%n", fault, accepted.size(), succeeded,
                duplicates);
        System.out.printf("[crash] %s: final states %s, no record %d, runs not seen in container logs %d;"
                        + " not accepted %s; sync %s; %d calls in %d s%n", fault, byStatus, lost, unobserved, refused,
                syncOutcomes, calls.size(), faultTook.toSeconds());

        assertThat(accepted).as(fault + ": no call was accepted, the test proves nothing").isNotEmpty();
        assertThat(problems).as(fault + ": calls that did not end properly (logs in " + platform.workDir + ")")
                .isEmpty();
        List<String> notSucceeded = accepted.stream()
                .filter(id -> !states.getOrDefault(id, "no record").startsWith("SUCCEEDED|"))
                .map(id -> id + ": " + states.getOrDefault(id, "no record")).toList();
        assertThat(notSucceeded).as(fault + ": accepted calls that did not end SUCCEEDED within "
                + FINAL_WITHIN.toSeconds() + " s (of " + accepted.size() + "; logs in " + platform.workDir + ")")
                .isEmpty();
        // and the API shows the same: a few of them read through the gateway
        for (String id : accepted.subList(0, Math.min(5, accepted.size()))) {
            var record = send(HttpRequest.newBuilder(uri("/invocations/" + id)).GET());
            assertThat(record.statusCode()).as(record.body()).isEqualTo(200);
            assertThat(JSON.readTree(record.body()).path("status").asString()).as(record.body())
                    .isEqualTo("SUCCEEDED");
        }
    }

    /** The accepted calls' records (status|attempt|error) once all are final, or as they are when time is up. */
    private static Map<String, String> awaitFinalStates(List<String> ids) throws Exception {
        Instant deadline = Instant.now().plus(FINAL_WITHIN);
        Map<String, String> states = new HashMap<>();
        while (true) {
            try {
                states = states(ids);
            } catch (SQLException e) {
                // the database may still be coming back
            }
            boolean allFinal = states.size() == ids.size() && states.values().stream()
                    .allMatch(s -> s.matches("(SUCCEEDED|FAILED|TIMED_OUT)\\|.*"));
            if (allFinal || Instant.now().isAfter(deadline)) {
                return states;
            }
            Thread.sleep(500);
        }
    }

    private static Map<String, String> states(List<String> ids) throws SQLException {
        Map<String, String> states = new HashMap<>();
        for (int from = 0; from < ids.size(); from += 500) {
            String in = ids.subList(from, Math.min(ids.size(), from + 500)).stream()
                    .map(id -> "'" + id + "'").collect(Collectors.joining(","));
            for (String row : platform.query("SELECT id, status, attempt, COALESCE(error::text, '') FROM invocations"
                    + " WHERE id IN (" + in + ")")) {
                String[] columns = row.split("\\|", 2);
                states.put(columns[0], columns[1]);
            }
        }
        return states;
    }

    /** After a broker or database restart: a synchronous call gets through again (within the call bound). */
    private static void awaitInvocable() throws Exception {
        Instant deadline = Instant.now().plus(CALL_BOUND);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            try {
                var response = invoke("{\"n\":-1}", false);
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the platform did not invoke again within " + CALL_BOUND.toSeconds() + " s: "
                + last);
    }

    private static HttpResponse<String> invoke(String event, boolean async) throws Exception {
        var request = HttpRequest.newBuilder(uri("/functions/" + FUNCTION + "/invoke" + (async ? "?async=true" : "")))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(event));
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.header("Authorization", "Bearer " + platform.adminKey).timeout(CALL_BOUND).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static URI uri(String path) {
        return platform.gateway().resolve(path);
    }

    enum Kind { ANSWERED, REFUSED, CUT, HUNG }

    record Outcome(Kind kind, int status, String contentType, String invocationId, String detail) {

        static Outcome of(HttpResponse<String> response) {
            String id = response.headers().firstValue("X-CloudFunc-Invocation-Id").orElse(null);
            String body = response.body();
            return new Outcome(Kind.ANSWERED, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), id,
                    body.length() > 300 ? body.substring(0, 300) : body);
        }

        boolean isProblem503or504() {
            return (status == 503 || status == 504) && contentType.startsWith("application/problem+json");
        }

        String label() {
            return kind == Kind.ANSWERED ? Integer.toString(status) : kind.name().toLowerCase();
        }
    }

    record Call(int n, boolean async, Outcome outcome) {
    }

    /**
     * Calls through the gateway at a steady pace ({@link PacedLoad}): asynchronous ones, and every
     * {@value #SYNC_EVERY}-th a synchronous one.
     */
    private static PacedLoad<Call> load(String fault) {
        return new PacedLoad<>("crash-load", ASYNC_EVERY, Integer.MAX_VALUE, CALL_BOUND, n -> {
            boolean async = n % SYNC_EVERY != 0;
            return new Call(n, async, call("{\"n\":" + n + ",\"fault\":\"" + fault + "\"}", async));
        });
    }

    private static Outcome call(String event, boolean async) {
        try {
            return Outcome.of(invoke(event, async));
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return new Outcome(Kind.REFUSED, 0, "", null, e.toString());
        } catch (HttpTimeoutException e) {
            return new Outcome(Kind.HUNG, 0, "", null, e.toString());
        } catch (IOException e) {
            // a connection that dies (the gateway was killed) may come as a ConnectException's cause
            return new Outcome(e.getCause() instanceof ConnectException ? Kind.REFUSED : Kind.CUT, 0, "", null,
                    e.toString());
        } catch (Exception e) {
            return new Outcome(Kind.CUT, 0, "", null, e.toString());
        }
    }

    /**
     * Counts the function's runs per invocation id from its containers' Docker logs, read every half second while
     * the containers exist (a container removed between two reads takes its last runs with it, so a count is a lower
     * bound).
     */
    private static final class Executions implements AutoCloseable {

        private final Map<String, Set<String>> runs = new ConcurrentHashMap<>();
        private final Map<String, Path> logPaths = new ConcurrentHashMap<>();
        private final AtomicInteger failures = new AtomicInteger();
        private final Thread reader;
        private volatile boolean closed;

        Executions() {
            reader = Thread.ofPlatform().daemon().name("crash-executions").start(() -> {
                while (!closed) {
                    readOnce();
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        private void readOnce() {
            try {
                for (String container : Platform.containersOf(FUNCTION)) {
                    Path log = logPaths.get(container);
                    if (log == null) {
                        log = Path.of(Platform.docker("inspect", "--format", "{{.LogPath}}", container).strip());
                        logPaths.put(container, log);
                    }
                    if (!Files.isReadable(log)) {
                        continue;
                    }
                    for (String line : Files.readAllLines(log)) {
                        // json-file lines: {"log":"cf-exec <id> <nonce>\n","stream":"stderr",...}
                        int at = line.indexOf("cf-exec ");
                        if (at >= 0) {
                            String[] words = line.substring(at).split("[ \\\\\"]");
                            if (words.length >= 3) {
                                runs.computeIfAbsent(words[1], id -> ConcurrentHashMap.newKeySet()).add(words[2]);
                            }
                        }
                    }
                }
            } catch (Exception e) {
                // a container removed while being read; the next round sees the others
                failures.incrementAndGet();
            }
        }

        /** How many distinct runs were seen of each of these invocations (absent: none seen). */
        Map<String, Integer> runsOf(List<String> ids) {
            readOnce();
            Map<String, Integer> counts = new HashMap<>();
            for (String id : ids) {
                Set<String> seen = runs.get(id);
                if (seen != null) {
                    counts.put(id, seen.size());
                }
            }
            return counts;
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            reader.interrupt();
            reader.join(5_000);
        }
    }
}

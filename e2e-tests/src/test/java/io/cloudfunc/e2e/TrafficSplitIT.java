package io.cloudfunc.e2e;

import static io.cloudfunc.e2e.Api.cli;
import static io.cloudfunc.e2e.Api.delete;
import static io.cloudfunc.e2e.Api.deployInline;
import static io.cloudfunc.e2e.Api.get;
import static io.cloudfunc.e2e.Api.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 12's traffic split through the whole platform: calls through a weighted alias follow its weights, each record
 * says which version ran, the statistics split by version add up, and moving the alias to one version ends the split.
 */
@ExtendWith(SharedPlatform.class)
class TrafficSplitIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String FUNCTION = "split-e2e";
    private static final int CALLS = 2_000;
    private static final int THREADS = 16;

    @Test
    void callsThroughANinetyTenAliasFollowItsWeightsAndOneVersionEndsTheSplit() throws Exception {
        deployInline(FUNCTION, "def handler(event):\n    return 'v1'\n");
        deployInline(FUNCTION, "def handler(event):\n    return 'v2'\n");
        try {
            Api.CliRun split = cli("alias", FUNCTION, "prod", "1=90", "2=10");
            assertThat(split.exitCode()).as(split.err()).isZero();
            assertThat(split.out().strip()).isEqualTo(FUNCTION + ":prod -> version 1 (90%), version 2 (10%)");
            JsonNode alias = JSON.readTree(get("/functions/" + FUNCTION + "/aliases/prod").body());
            assertThat(alias.path("weights").toString())
                    .isEqualTo("[{\"version\":1,\"weight\":90},{\"version\":2,\"weight\":10}]");

            Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
            var ids = new ConcurrentLinkedQueue<String[]>();
            call(CALLS, response -> {
                int version = Integer.parseInt(response.headers().firstValue("X-CloudFunc-Version").orElseThrow());
                // the version the answer names is the one whose code ran
                assertThat(JSON.readTree(response.body()).asString()).isEqualTo("v" + version);
                runs.computeIfAbsent(version, v -> new AtomicInteger()).incrementAndGet();
                if (ids.size() < 60) {
                    ids.add(new String[] {response.headers().firstValue("X-CloudFunc-Invocation-Id").orElseThrow(),
                            Integer.toString(version)});
                }
            });

            assertThat(runs.keySet()).containsExactlyInAnyOrder(1, 2);
            assertThat(runs.get(1).get() + runs.get(2).get()).isEqualTo(CALLS);
            // binomial(2000, 0.1): sd ~13 calls (0.67 points); 5 points either way is over 7 sd
            double share = 100.0 * runs.get(2).get() / CALLS;
            assertThat(share).as("share of version 2 in percent").isBetween(5.0, 15.0);

            for (String[] sample : ids) { // each record says which version ran
                JsonNode record = JSON.readTree(Api.awaitFinalRecord(sample[0]));
                assertThat(record.path("version").asInt()).as(sample[0]).isEqualTo(Integer.parseInt(sample[1]));
            }
            JsonNode stats = awaitStats(CALLS);
            assertThat(stats.path("versions")).hasSize(2);
            for (JsonNode version : stats.path("versions")) {
                assertThat(version.path("stats").path("invocations").asInt()).as(version.toString())
                        .isEqualTo(runs.get(version.path("version").asInt()).get());
            }
            Api.CliRun cliStats = cli("stats", FUNCTION);
            assertThat(cliStats.out()).contains(FUNCTION + ":1").contains(FUNCTION + ":2");

            Api.CliRun single = cli("alias", FUNCTION, "prod", "2");
            assertThat(single.out().strip()).isEqualTo(FUNCTION + ":prod -> version 2");
            awaitOnlyVersion(2);
            call(200, response -> assertThat(response.headers().firstValue("X-CloudFunc-Version")).hasValue("2"));
        } finally {
            delete("/functions/" + FUNCTION);
        }
    }

    private interface Check {
        void accept(HttpResponse<String> response) throws Exception;
    }

    /** {@code count} calls of FUNCTION:prod on THREADS threads, each answer checked. */
    private static void call(int count, Check check) throws Exception {
        AtomicInteger left = new AtomicInteger(count);
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        var response = post("/functions/" + FUNCTION + ":prod/invoke", "application/json",
                                "{}".getBytes());
                        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                        check.accept(response);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
    }

    /** The records are written after the answers: bounded wait until all are in and final. */
    private static JsonNode awaitStats(int calls) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonNode stats = null;
        while (Instant.now().isBefore(deadline)) {
            stats = JSON.readTree(get("/functions/" + FUNCTION + "/stats").body());
            if (stats.path("stats").path("invocations").asInt() == calls
                    && stats.path("stats").path("pending").asInt() == 0) {
                return stats;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("stats of " + FUNCTION + " did not show " + calls + " finished calls: " + stats);
    }

    /** The alias move reaches the schedulers' caches by an event: bounded wait until 20 calls in a row run it. */
    private static void awaitOnlyVersion(int version) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        int inARow = 0;
        while (inARow < 20) {
            var response = post("/functions/" + FUNCTION + ":prod/invoke", "application/json", "{}".getBytes());
            inARow = response.headers().firstValue("X-CloudFunc-Version").equals(java.util.Optional.of(
                    Integer.toString(version))) ? inARow + 1 : 0;
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(FUNCTION + ":prod still ran another version than " + version);
            }
        }
    }
}

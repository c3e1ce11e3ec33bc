package io.cloudfunc.registry.series;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.contracts.messaging.NodeSample;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.contracts.node.SeenNode;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.contracts.stats.NodeSeriesView;
import io.cloudfunc.contracts.stats.SeriesPoint;
import io.cloudfunc.contracts.stats.SeriesView;
import io.cloudfunc.registry.RegistryIntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The series against PostgreSQL and RabbitMQ: records arrive as messages, are counted once by the minute they ended
 * in, summed per step, rolled up into hours without changing the sums; node samples arrive on their queue.
 */
class SeriesIT extends RegistryIntegrationTest {

    /** A minute well inside the default window (the last hour) and the minutes kept. */
    private static final Instant MINUTE = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(20));

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private SeriesRollup rollup;
    @Autowired
    private RabbitTemplate rabbit;
    @Autowired
    private JsonMapper json;

    @BeforeEach
    void clean() {
        for (String table : List.of("invocations", "invocation_minutes", "invocation_hours", "node_sample_minutes",
                "node_sample_hours")) {
            jdbc.update("DELETE FROM " + table);
        }
        for (String name : new String[] {"alpha", "beta"}) {
            jdbc.update("insert into functions (name, runtime, handler, timeout_ms, memory_mb, idle_ttl_ms, "
                    + "latest_version, created_at, updated_at) values (?, 'python', 'function.handler', 30000, 128, "
                    + "60000, 1, now(), now()) on conflict (name) do nothing", name);
        }
    }

    @Test
    void countsEveryRecordOnceInTheMinuteItEndedIn() {
        List<InvocationCompleted> alpha = new ArrayList<>();
        long[] durations = new long[120];
        for (int i = 0; i < durations.length; i++) {
            durations[i] = 1 + (i * i * 7L) % 3000; // 1 ms to 3 s, unevenly spread
            InvocationStatus status = i % 10 == 0 ? InvocationStatus.FAILED
                    : i % 15 == 0 ? InvocationStatus.TIMED_OUT : InvocationStatus.SUCCEEDED;
            StartType start = i % 3 == 0 ? StartType.COLD : i % 3 == 1 ? StartType.PREWARMED : StartType.WARM;
            alpha.add(completed("alpha", status, start, MINUTE.plusSeconds(i % 60), durations[i],
                    i == 20 ? "OutOfMemoryError" : "ValueError"));
        }
        InvocationCompleted twice = alpha.get(1);
        InvocationCompleted later = completed("alpha", InvocationStatus.SUCCEEDED, StartType.WARM,
                MINUTE.plus(Duration.ofMinutes(2)).plusSeconds(5), 30, null);
        InvocationCompleted noContainer = completed("alpha", InvocationStatus.FAILED, null,
                MINUTE.plus(Duration.ofMinutes(2)), 0, "FunctionNotFound");
        record(new InvocationRecords(null, null, null, alpha));
        // redelivered: on its own, and twice within one message with another record
        recordCompleted(twice);
        recordCompleted(later, later, noContainer);
        recordCompleted(completed("beta", InvocationStatus.SUCCEEDED, StartType.WARM, MINUTE.plusSeconds(30), 7, null),
                completed("gone", InvocationStatus.SUCCEEDED, StartType.WARM, MINUTE.plusSeconds(30), 9, null));

        SeriesView series = series("?function=alpha&from=" + MINUTE.minus(Duration.ofMinutes(5)) + "&to="
                + MINUTE.plus(Duration.ofMinutes(5)) + "&step=1m");

        assertThat(series.function()).isEqualTo("alpha");
        assertThat(series.step()).isEqualTo("1m");
        assertThat(series.points()).hasSize(10);
        assertThat(series.points()).extracting(SeriesPoint::t).startsWith(MINUTE.minus(Duration.ofMinutes(5)));
        SeriesPoint first = series.points().get(5);
        assertThat(first.t()).isEqualTo(MINUTE);
        assertThat(first.invocations()).isEqualTo(120);
        assertThat(first.errors()).isEqualTo(12);
        assertThat(first.timeouts()).isEqualTo(4); // 15, 45, 75, 105 (30, 60, 90 are failures)
        assertThat(first.succeeded()).isEqualTo(104);
        assertThat(first.oom()).isEqualTo(1);
        assertThat(first.cold()).isEqualTo(40);
        assertThat(first.prewarmed()).isEqualTo(40);
        assertThat(first.warm()).isEqualTo(40);
        Arrays.sort(durations);
        assertWithinHistogramError(first.durationMs().p50(), durations[59]);
        assertWithinHistogramError(first.durationMs().p95(), durations[113]);
        assertWithinHistogramError(first.durationMs().p99(), durations[118]);

        SeriesPoint third = series.points().get(7);
        assertThat(third.invocations()).isEqualTo(2);
        assertThat(third.succeeded()).isEqualTo(1);
        assertThat(third.errors()).isEqualTo(1);
        assertThat(third.warm()).isEqualTo(1);
        assertThat(third.durationMs().p50()).as("a call that reached no container has no duration").isEqualTo(30.0);
        SeriesPoint empty = series.points().get(6);
        assertThat(empty.invocations()).isZero();
        assertThat(empty.durationMs().p99()).isNull();

        SeriesView all = series("?from=" + MINUTE + "&to=" + MINUTE.plusSeconds(60) + "&step=1m");
        assertThat(all.function()).isNull();
        assertThat(all.points()).singleElement().satisfies(point -> {
            assertThat(point.invocations()).as("alpha and beta; not 'gone', no function").isEqualTo(121);
            assertThat(point.succeeded()).isEqualTo(105);
        });
    }

    @Test
    void defaultsToTheLastHourInMinutes() {
        recordCompleted(completed("beta", InvocationStatus.SUCCEEDED, StartType.COLD, MINUTE.plusSeconds(1), 250,
                null));

        SeriesView series = series("?function=beta");

        assertThat(series.step()).isEqualTo("1m");
        assertThat(Duration.between(series.from(), series.to())).isBetween(Duration.ofMinutes(60),
                Duration.ofMinutes(61));
        assertThat(series.points()).hasSizeBetween(60, 61);
        assertThat(series.points().stream().mapToLong(SeriesPoint::invocations).sum()).isEqualTo(1);
        assertThat(series.points()).filteredOn(point -> point.t().equals(MINUTE)).singleElement()
                .satisfies(point -> assertThat(point.cold()).isEqualTo(1));
    }

    @Test
    void theDatabasesBucketsAreTheHistogramsBuckets() {
        List<Long> values = new ArrayList<>();
        for (long v = 0; v < 5000; v++) {
            values.add(v);
        }
        for (int power = 12; power < 63; power++) {
            values.add((1L << power) - 1);
            values.add(1L << power);
            values.add((1L << power) + 12345 % (1L << power));
        }
        List<Long> buckets = jdbc.queryForList("SELECT duration_bucket(v) FROM unnest(CAST(? AS bigint[])) v",
                Long.class, (Object) values.stream().map(String::valueOf).toList().toString()
                        .replace('[', '{').replace(']', '}'));

        assertThat(buckets).containsExactlyElementsOf(values.stream()
                .map(v -> (long) DurationHistogram.bucket(v)).toList());
    }

    @Test
    void rollingMinutesUpIntoHoursKeepsTheSums() {
        Instant threeDaysAgo = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.HOURS);
        List<InvocationCompleted> old = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            old.add(completed("alpha", i % 7 == 0 ? InvocationStatus.FAILED : InvocationStatus.SUCCEEDED,
                    i % 2 == 0 ? StartType.WARM : StartType.COLD, threeDaysAgo.plus(Duration.ofMinutes(i)).plusSeconds(3),
                    10 + i * 11L, null));
        }
        record(new InvocationRecords(null, null, null, old));
        var nodes = new NodeSamplesListener(jdbc, json);
        nodes.store("node-a", threeDaysAgo.plusSeconds(60), 3);
        nodes.store("node-a", threeDaysAgo.plusSeconds(600), 7);
        nodes.store("node-a", threeDaysAgo.plusSeconds(3600), 2);
        String window = "&from=" + threeDaysAgo.minus(Duration.ofHours(1)) + "&to=" + threeDaysAgo.plus(
                Duration.ofHours(3));
        SeriesView hourlyBefore = series("?function=alpha" + window + "&step=1h");
        SeriesView dailyBefore = series("?function=alpha&from=" + threeDaysAgo.minus(Duration.ofDays(2)) + "&step=1d");
        assertThat(count("invocation_minutes")).isEqualTo(90);

        assertThat(rollup.rollUp(Instant.now())).isEqualTo(2 + 2);

        assertThat(count("invocation_minutes")).isZero();
        assertThat(count("invocation_hours")).isEqualTo(2);
        assertThat(series("?function=alpha" + window + "&step=1h")).isEqualTo(hourlyBefore);
        assertThat(series("?function=alpha&from=" + threeDaysAgo.minus(Duration.ofDays(2)) + "&step=1d"))
                .isEqualTo(dailyBefore);
        assertThat(hourlyBefore.points()).extracting(SeriesPoint::invocations).containsExactly(0L, 60L, 30L, 0L);
        assertThat(hourlyBefore.points().get(1).errors()).isEqualTo(9);
        assertThat(hourlyBefore.points().get(2).warm()).isEqualTo(15);
        NodeSeriesView nodeSeries = http.get().uri("/internal/stats/series/nodes?step=1h" + window).exchange()
                .expectStatus().isOk().expectBody(NodeSeriesView.class).returnResult().getResponseBody();
        assertThat(nodeSeries.points()).extracting(NodeSeriesView.Point::nodes)
                .containsExactly(Map.of(), Map.of("node-a", 7), Map.of("node-a", 2), Map.of());
        assertThat(rollup.rollUp(Instant.now())).as("nothing left to move").isZero();
    }

    @Test
    void storesTheNodeSamplesPublishedOnTheirQueue() throws Exception {
        Instant now = Instant.now();
        publishSample(new NodeSample("node-1", now, 4));
        publishSample(new NodeSample("node-1", now, 6));
        publishSample(new NodeSample("node-2", now, 0));
        rabbit.send("", Topology.NODE_SAMPLES_QUEUE, new Message("not json".getBytes(), new MessageProperties()));

        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        Map<String, Integer> expected = Map.of("node-1", 6, "node-2", 0);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        NodeSeriesView view = nodeSeries(minute);
        while (!view.points().getFirst().nodes().equals(expected)) {
            assertThat(System.nanoTime()).as("samples stored within 15 s: %s", view).isLessThan(deadline);
            Thread.sleep(100);
            view = nodeSeries(minute);
        }

        assertThat(view.step()).isEqualTo("1m");
        assertThat(view.points()).singleElement().satisfies(point -> assertThat(point.t()).isEqualTo(minute));
    }

    @Test
    void listsTheNodesSeenSinceAnInstantWithTheirLatestMinute() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        var nodes = new NodeSamplesListener(jdbc, json);
        nodes.store("node-a", now.minus(Duration.ofMinutes(30)), 1);
        nodes.store("node-a", now.minus(Duration.ofMinutes(3)).plusSeconds(20), 2);
        nodes.store("node-b", now.minus(Duration.ofHours(2)), 1);
        nodes.store("node-c", now.minus(Duration.ofDays(3)), 1);
        rollup.rollUp(Instant.now()); // node-c's minute becomes an hour

        List<SeenNode> seen = seenSince(now.minus(Duration.ofHours(24)));
        assertThat(seen).containsExactly(new SeenNode("node-a", now.minus(Duration.ofMinutes(3))),
                new SeenNode("node-b", now.minus(Duration.ofHours(2))));
        assertThat(seenSince(now.minus(Duration.ofHours(1)))).extracting(SeenNode::id).containsExactly("node-a");
        assertThat(seenSince(now.minus(Duration.ofDays(4)))).extracting(SeenNode::id)
                .containsExactly("node-a", "node-b", "node-c");
        assertProblem(http.get().uri("/internal/nodes/seen").exchange(), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(http.get().uri("/internal/nodes/seen?since=yesterday").exchange(), 400,
                ProblemTypes.INVALID_REQUEST);
    }

    private List<SeenNode> seenSince(Instant since) {
        return Arrays.asList(http.get().uri("/internal/nodes/seen?since=" + since).exchange().expectStatus().isOk()
                .expectBody(SeenNode[].class).returnResult().getResponseBody());
    }

    private NodeSeriesView nodeSeries(Instant minute) {
        return http.get().uri("/internal/stats/series/nodes?from=" + minute + "&to=" + minute.plusSeconds(60))
                .exchange().expectStatus().isOk().expectBody(NodeSeriesView.class).returnResult().getResponseBody();
    }

    @Test
    void refusesBadParametersWithProblemDetails() {
        assertProblem(http.get().uri("/internal/stats/series?from=2026-12-07T10:00:00Z&to=2026-12-07T09:00:00Z")
                .exchange(), 400, ProblemTypes.INVALID_REQUEST).jsonPath("$.detail").value(String.class,
                        detail -> assertThat(detail).contains("must be before"));
        assertProblem(http.get().uri("/internal/stats/series?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z")
                .exchange(), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(http.get().uri("/internal/stats/series?step=10s").exchange(), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(http.get().uri("/internal/stats/series/nodes?step=1m&from="
                + Instant.now().minus(Duration.ofDays(2)).plusSeconds(600)).exchange(), 400,
                ProblemTypes.INVALID_REQUEST).jsonPath("$.detail").value(String.class,
                        detail -> assertThat(detail).contains("more than 1440"));
        assertProblem(http.get().uri("/internal/stats/series?function=Not_A_Name").exchange(), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(http.get().uri("/internal/stats/series?function=no-such-fn").exchange(), 404,
                ProblemTypes.FUNCTION_NOT_FOUND);
    }

    private SeriesView series(String query) {
        return http.get().uri("/internal/stats/series" + query).exchange().expectStatus().isOk()
                .expectBody(SeriesView.class).returnResult().getResponseBody();
    }

    private long count(String table) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
    }

    private void publishSample(NodeSample sample) {
        var properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setType(Topology.TYPE_NODE_SAMPLE);
        rabbit.send("", Topology.NODE_SAMPLES_QUEUE, new Message(json.writeValueAsBytes(sample), properties));
    }

    private static void assertWithinHistogramError(Double estimate, long exact) {
        assertThat(estimate).isNotNull();
        if (exact < 32) {
            assertThat(estimate).isEqualTo((double) exact);
        } else {
            assertThat(Math.abs(estimate - exact) / exact).as("%s vs %s", estimate, exact).isLessThan(0.032);
        }
    }

    private static InvocationCompleted completed(String function, InvocationStatus status, StartType start,
                                                 Instant finishedAt, long durationMs, String errorType) {
        boolean ok = status == InvocationStatus.SUCCEEDED;
        return new InvocationCompleted(UUID.randomUUID(), function, 1, status, start, null,
                ok ? null : FunctionError.of(errorType, "bad"), ok ? null : ErrorKind.FUNCTION, "",
                finishedAt.minusMillis(durationMs), finishedAt, durationMs);
    }
}

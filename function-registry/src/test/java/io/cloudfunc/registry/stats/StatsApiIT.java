package io.cloudfunc.registry.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.contracts.stats.FunctionStats;
import io.cloudfunc.contracts.stats.FunctionStatsView;
import io.cloudfunc.contracts.stats.StatsView;
import io.cloudfunc.contracts.stats.VersionStats;
import io.cloudfunc.registry.RegistryIntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Statistics computed by PostgreSQL from invocation records written straight into the table. */
class StatsApiIT extends RegistryIntegrationTest {

    @Autowired
    private JdbcTemplate jdbc;

    @BeforeEach
    void records() {
        jdbc.update("delete from invocations");
        Instant now = Instant.now();
        // "alpha": durations 10..100 ms, 8 succeeded (2 cold, 1 prewarmed, 5 warm), 1 failed, 1 timed out
        for (int i = 1; i <= 10; i++) {
            String status = i == 9 ? "FAILED" : i == 10 ? "TIMED_OUT" : "SUCCEEDED";
            String start = i <= 2 ? "COLD" : i == 3 ? "PREWARMED" : "WARM";
            insert("alpha", status, start, i * 10L, now.minusSeconds(60));
        }
        insert("beta", "QUEUED", null, null, now.minusSeconds(30));
        // outside a 1h window, inside 1d
        insert("beta", "SUCCEEDED", "COLD", 500L, now.minus(Duration.ofHours(3)));
        // calls to a function deleted since, and to a name that never was one (as an AMQP producer may send)
        insert("gone", "SUCCEEDED", "WARM", 5L, now.minusSeconds(90));
        insert("no-such-fn", "FAILED", null, null, now.minusSeconds(20));
        for (String name : new String[] {"alpha", "beta"}) {
            jdbc.update("insert into functions (name, runtime, handler, timeout_ms, memory_mb, idle_ttl_ms, "
                    + "latest_version, created_at, updated_at) values (?, 'python', 'function.handler', 30000, 128, "
                    + "60000, 1, now(), now()) on conflict (name) do nothing", name);
        }
    }

    @Test
    void countsOutcomesPercentilesAndColdStartsPerFunctionAndInTotal() {
        StatsView stats = http.get().uri("/internal/stats").exchange().expectStatus().isOk()
                .expectBody(StatsView.class).returnResult().getResponseBody();

        assertThat(stats.window()).isEqualTo("1h");
        assertThat(Duration.between(stats.from(), stats.to())).isEqualTo(Duration.ofHours(1));
        assertThat(stats.total().invocations()).isEqualTo(11);
        assertThat(stats.total().pending()).isEqualTo(1);
        assertThat(stats.functions()).extracting(FunctionStats::functionName).containsExactly("alpha", "beta");

        FunctionStats alpha = stats.functions().getFirst();
        assertThat(alpha.invocations()).isEqualTo(10);
        assertThat(alpha.succeeded()).isEqualTo(8);
        assertThat(alpha.errors()).isEqualTo(1);
        assertThat(alpha.timeouts()).isEqualTo(1);
        assertThat(alpha.durationMs().p50()).isCloseTo(55.0, within(0.01));
        assertThat(alpha.durationMs().p95()).isCloseTo(95.5, within(0.01));
        assertThat(alpha.durationMs().p99()).isCloseTo(99.1, within(0.01));
        assertThat(alpha.durationMs().max()).isEqualTo(100.0);
        assertThat(alpha.durationMs().total()).isEqualTo(550);
        assertThat(alpha.coldStartRatio()).isCloseTo(0.3, within(0.0001));

        FunctionStats beta = stats.functions().get(1);
        assertThat(beta.durationMs().p50()).isNull();
        assertThat(beta.coldStartRatio()).isNull();
    }

    @Test
    void widerWindowIncludesOlderCallsOfOneFunction() {
        FunctionStatsView beta = http.get().uri("/internal/functions/beta/stats?window=1d").exchange()
                .expectStatus().isOk().expectBody(FunctionStatsView.class).returnResult().getResponseBody();
        assertThat(beta.window()).isEqualTo("1d");
        assertThat(beta.stats().invocations()).isEqualTo(2);
        assertThat(beta.stats().succeeded()).isEqualTo(1);
        assertThat(beta.stats().coldStartRatio()).isEqualTo(1.0);
    }

    @Test
    void badWindowsAndUnknownFunctionsAreProblems() {
        for (String window : new String[] {"0h", "31d", "1w", "abc", "-1h", "30s"}) {
            assertProblem(http.get().uri("/internal/stats?window={w}", window).exchange(), 400,
                    ProblemTypes.INVALID_REQUEST);
        }
        assertProblem(http.get().uri("/internal/functions/never-was/stats").exchange(), 404,
                ProblemTypes.FUNCTION_NOT_FOUND);
        assertProblem(http.get().uri("/internal/functions/Bad_Name/stats").exchange(), 400,
                ProblemTypes.INVALID_REQUEST);
    }

    @Test
    void onlyFunctionsThatExistHaveStatistics() {
        StatsView stats = http.get().uri("/internal/stats").exchange().expectStatus().isOk()
                .expectBody(StatsView.class).returnResult().getResponseBody();

        assertThat(stats.functions()).extracting(FunctionStats::functionName).containsExactly("alpha", "beta");
        // the totals are the sum of the functions listed: the calls to gone and no-such-fn are left out
        assertThat(stats.total().invocations()).isEqualTo(11);
        assertThat(stats.total().errors()).isEqualTo(1);
        assertProblem(http.get().uri("/internal/functions/gone/stats").exchange(), 404,
                ProblemTypes.FUNCTION_NOT_FOUND);
        assertProblem(http.get().uri("/internal/functions/no-such-fn/stats").exchange(), 404,
                ProblemTypes.FUNCTION_NOT_FOUND);
    }

    @Test
    void oneFunctionsFiguresAreAlsoSplitByTheVersionThatRanEachCall() {
        jdbc.update("update invocations set version = 2 where function_name = 'alpha' and duration_ms > 70");

        FunctionStatsView alpha = http.get().uri("/internal/functions/alpha/stats").exchange()
                .expectStatus().isOk().expectBody(FunctionStatsView.class).returnResult().getResponseBody();

        assertThat(alpha.versions()).extracting(VersionStats::version).containsExactly(1, 2);
        assertThat(alpha.versions()).extracting(v -> v.stats().invocations()).containsExactly(7L, 3L);
        assertThat(alpha.versions().get(1).stats().errors()).isEqualTo(1);
        assertThat(alpha.versions().get(1).stats().timeouts()).isEqualTo(1);
        assertThat(alpha.versions().get(1).stats().durationMs().max()).isEqualTo(100.0);
        assertThat(alpha.versions().getFirst().stats().durationMs().max()).isEqualTo(70.0);
        assertThat(alpha.versions().stream().mapToLong(v -> v.stats().invocations()).sum())
                .isEqualTo(alpha.stats().invocations());
    }

    @Test
    void aFunctionNotCalledInTheWindowHasZeros() {
        jdbc.update("insert into functions (name, runtime, handler, timeout_ms, memory_mb, idle_ttl_ms, "
                + "latest_version, created_at, updated_at) values ('quiet', 'python', 'function.handler', 30000, "
                + "128, 60000, 1, now(), now()) on conflict (name) do nothing");

        FunctionStatsView quiet = http.get().uri("/internal/functions/quiet/stats").exchange()
                .expectStatus().isOk().expectBody(FunctionStatsView.class).returnResult().getResponseBody();

        assertThat(quiet.stats().functionName()).isEqualTo("quiet");
        assertThat(quiet.stats().invocations()).isZero();
        assertThat(quiet.stats().durationMs().p50()).isNull();
        assertThat(quiet.versions()).isEmpty();
    }

    private void insert(String function, String status, String startType, Long durationMs, Instant acceptedAt) {
        jdbc.update("insert into invocations (id, function_name, version, status, start_type, accepted_at, "
                        + "duration_ms) values (?, ?, 1, ?, ?, ?, ?)", UUID.randomUUID(), function, status, startType,
                Timestamp.from(acceptedAt), durationMs);
    }
}

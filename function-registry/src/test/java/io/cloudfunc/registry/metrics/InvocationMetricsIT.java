package io.cloudfunc.registry.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.registry.RegistryIntegrationTest;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.node.IntNode;

/**
 * The invocation metrics, fed by records published on {@code cloudfunc.records} as the services publish them (real
 * PostgreSQL and RabbitMQ), read as Prometheus text from {@code GET /internal/metrics}.
 */
class InvocationMetricsIT extends RegistryIntegrationTest {

    private static final Instant T0 = Instant.parse("2026-07-01T08:00:00Z");

    @Autowired
    private JdbcTemplate jdbc;

    @BeforeEach
    void functions() {
        for (String name : new String[] {"counted", "sync-and-async", "doomed"}) {
            jdbc.update("insert into functions (name, runtime, handler, timeout_ms, memory_mb, idle_ttl_ms, "
                    + "latest_version, created_at, updated_at) values (?, 'python', 'function.handler', 30000, 128, "
                    + "60000, 1, now(), now()) on conflict (name) do nothing", name);
        }
    }

    @Test
    void countsEachFinishedInvocationOnceByFunctionStatusAndStartTypeWithItsDuration() {
        InvocationCompleted cold = completed("counted", InvocationStatus.SUCCEEDED, StartType.COLD, 180);
        InvocationCompleted warm = completed("counted", InvocationStatus.SUCCEEDED, StartType.WARM, 3);
        InvocationCompleted failed = completed("counted", InvocationStatus.FAILED, StartType.WARM, 7);

        recordCompleted(cold, warm, failed);
        // the same completions delivered again (a redelivered message), together and on their own
        recordCompleted(cold, warm);
        recordCompleted(failed);

        String metrics = metrics();
        assertThat(sample(metrics, "cloudfunc_function_invocations_total",
                "function=\"counted\",start_type=\"cold\",status=\"SUCCEEDED\"")).isEqualTo(1);
        assertThat(sample(metrics, "cloudfunc_function_invocations_total",
                "function=\"counted\",start_type=\"warm\",status=\"SUCCEEDED\"")).isEqualTo(1);
        assertThat(sample(metrics, "cloudfunc_function_invocations_total",
                "function=\"counted\",start_type=\"warm\",status=\"FAILED\"")).isEqualTo(1);
        // the histogram: the cold call (180 ms) is above the 100 ms bucket and within the 250 ms one
        String coldSeries = "function=\"counted\",start_type=\"cold\",status=\"SUCCEEDED\"";
        assertThat(sample(metrics, "cloudfunc_function_duration_seconds_bucket", coldSeries + ",le=\"0.1\""))
                .isZero();
        assertThat(sample(metrics, "cloudfunc_function_duration_seconds_bucket", coldSeries + ",le=\"0.25\""))
                .isEqualTo(1);
        assertThat(sample(metrics, "cloudfunc_function_duration_seconds_count", coldSeries)).isEqualTo(1);
        assertThat(sample(metrics, "cloudfunc_function_duration_seconds_sum", coldSeries)).isEqualTo(0.18);
    }

    @Test
    void countsAsyncCallsAndCallsThatReachedNoContainerButNotNamesThatAreNoFunction() {
        InvocationCompleted async = completed("sync-and-async", InvocationStatus.SUCCEEDED, StartType.PREWARMED, 12)
                .asAttempt(InvocationMode.ASYNC, 2, false);
        InvocationCompleted notRun = InvocationCompleted.notRun(UUID.randomUUID(), "sync-and-async", 1,
                InvocationStatus.TIMED_OUT, "DeadlineExceeded", "not started", 1, InvocationMode.SYNC);
        InvocationCompleted noSuchFunction = completed("no-such-fn", InvocationStatus.FAILED, null, 0);

        recordCompleted(async, notRun, noSuchFunction);

        String metrics = metrics();
        assertThat(sample(metrics, "cloudfunc_function_invocations_total",
                "function=\"sync-and-async\",start_type=\"prewarmed\",status=\"SUCCEEDED\"")).isEqualTo(1);
        assertThat(sample(metrics, "cloudfunc_function_invocations_total",
                "function=\"sync-and-async\",start_type=\"none\",status=\"TIMED_OUT\"")).isEqualTo(1);
        assertThat(metrics).as("no duration for a call that reached no container")
                .doesNotContain("cloudfunc_function_duration_seconds_count{function=\"sync-and-async\","
                        + "start_type=\"none\"");
        assertThat(metrics).doesNotContain("no-such-fn");
    }

    @Test
    void aDeletedFunctionsSeriesGoWithIt() {
        recordCompleted(completed("doomed", InvocationStatus.SUCCEEDED, StartType.WARM, 2));
        assertThat(metrics()).contains("function=\"doomed\"");

        http.delete().uri("/internal/functions/doomed").exchange().expectStatus().isNoContent();
        recordCompleted(completed("doomed", InvocationStatus.SUCCEEDED, StartType.WARM, 2));

        assertThat(metrics()).doesNotContain("function=\"doomed\"");
    }

    /** Asked for as the gateway asks every service (it relays the text with its content type). */
    private String metrics() {
        return http.get().uri("/internal/metrics").header("Accept", "application/json, application/problem+json")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .expectBody(String.class).returnResult().getResponseBody();
    }

    /** The value of one sample of the Prometheus text, by its name and its labels as written (in name order). */
    private static double sample(String metrics, String name, String labels) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$")
                .matcher(metrics);
        assertThat(matcher.find()).as("%s{%s} in%n%s", name, labels, metrics).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    private static InvocationCompleted completed(String function, InvocationStatus status, StartType startType,
                                                 long durationMs) {
        boolean ok = status == InvocationStatus.SUCCEEDED;
        return new InvocationCompleted(UUID.randomUUID(), function, 1, status, startType,
                ok ? IntNode.valueOf(1) : null, ok ? null : FunctionError.of("ValueError", "no"),
                ok ? null : ErrorKind.FUNCTION, "", T0, T0.plusMillis(durationMs), durationMs);
    }
}

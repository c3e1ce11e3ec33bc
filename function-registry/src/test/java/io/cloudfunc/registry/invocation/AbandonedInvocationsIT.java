package io.cloudfunc.registry.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.InvocationView;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.registry.RegistryIntegrationTest;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reconciliation of records that can no longer end, run by its schedule (every 200 ms here) against PostgreSQL:
 * a record whose last sign of life is older than {@code registry.invocations.abandon-after} (1 h) ends as FAILED,
 * {@code Abandoned}; one that is still within its window is left alone.
 */
@TestPropertySource(properties = "registry.invocations.reconcile-interval=200ms")
class AbandonedInvocationsIT extends RegistryIntegrationTest {

    private static final Instant NOW = Instant.now();

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private JsonMapper json;

    @Test
    void endsRecordsWithNoSignOfLifeForAnHourAndLeavesTheOthersAlone() {
        UUID queuedAsync = UUID.randomUUID();
        UUID runningSync = UUID.randomUUID();
        UUID retryDueRecently = UUID.randomUUID();
        UUID startedRecently = UUID.randomUUID();
        UUID acceptedNow = UUID.randomUUID();
        UUID succeeded = UUID.randomUUID();
        // one statement: the reconciliation sees all of them or none
        jdbc.update("""
                INSERT INTO invocations (id, function_name, version, status, accepted_at, started_at,
                                         next_attempt_at, mode, attempt)
                VALUES (?, 'stuck', 1, 'QUEUED', ?, NULL, NULL, 'ASYNC', 1),
                       (?, 'stuck', 1, 'RUNNING', ?, ?, NULL, 'SYNC', 1),
                       (?, 'stuck', 1, 'QUEUED', ?, NULL, ?, 'ASYNC', 3),
                       (?, 'stuck', 1, 'RUNNING', ?, ?, NULL, 'ASYNC', 1),
                       (?, 'stuck', 1, 'QUEUED', ?, NULL, NULL, 'ASYNC', 1),
                       (?, 'stuck', 1, 'SUCCEEDED', ?, ?, NULL, 'ASYNC', 1)
                """,
                queuedAsync, ago(Duration.ofHours(2)),
                runningSync, ago(Duration.ofHours(3)), ago(Duration.ofHours(2)),
                retryDueRecently, ago(Duration.ofHours(5)), ago(Duration.ofMinutes(10)),
                startedRecently, ago(Duration.ofHours(2)), ago(Duration.ofMinutes(5)),
                acceptedNow, ago(Duration.ZERO),
                succeeded, ago(Duration.ofHours(2)), ago(Duration.ofHours(2)));

        InvocationView queued = awaitFinal(queuedAsync);
        assertThat(queued.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(queued.errorKind()).isEqualTo(ErrorKind.PLATFORM);
        assertThat(queued.error().type()).isEqualTo("Abandoned");
        assertThat(queued.error().message()).contains("no sign of life");
        assertThat(queued.deadLettered()).as("an asynchronous call is a dead letter").isTrue();
        assertThat(queued.finishedAt()).isAfter(NOW.minusSeconds(1));
        InvocationView running = awaitFinal(runningSync);
        assertThat(running.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(running.error().type()).isEqualTo("Abandoned");
        assertThat(running.deadLettered()).as("a synchronous call is no dead letter").isFalse();

        assertThat(get(retryDueRecently).status()).as("a retry due 10 min ago").isEqualTo(InvocationStatus.QUEUED);
        assertThat(get(startedRecently).status()).as("started 5 min ago").isEqualTo(InvocationStatus.RUNNING);
        assertThat(get(acceptedNow).status()).as("accepted now").isEqualTo(InvocationStatus.QUEUED);
        InvocationView done = get(succeeded);
        assertThat(done.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(done.error()).isNull();
    }

    @Test
    void aCallThatRunsAfterAllReplacesItsAbandonedRecordWithItsOutcome() {
        UUID late = UUID.randomUUID();
        UUID failed = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO invocations (id, function_name, version, status, accepted_at, mode, attempt)
                VALUES (?, 'late', 1, 'QUEUED', ?, 'ASYNC', 1)
                """, late, ago(Duration.ofHours(2)));
        assertThat(awaitFinal(late).error().type()).isEqualTo("Abandoned");
        // an ordinary failure stays final
        recordCompleted(completed(failed, InvocationStatus.FAILED));

        recordCompleted(completed(late, InvocationStatus.SUCCEEDED), completed(failed, InvocationStatus.SUCCEEDED));

        InvocationView ran = get(late);
        assertThat(ran.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(ran.error()).isNull();
        assertThat(ran.errorKind()).isNull();
        assertThat(ran.deadLettered()).isFalse();
        assertThat(ran.result()).isEqualTo(json.readTree("{\"ok\":true}"));
        assertThat(get(failed).status()).isEqualTo(InvocationStatus.FAILED);
    }

    @Test
    void theSeriesCountAnAbandonedRecordAsAnErrorUntilItsOutcomeReplacesIt() {
        UUID late = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO invocations (id, function_name, version, status, accepted_at, mode, attempt)
                VALUES (?, 'phoenix', 1, 'RUNNING', ?, 'ASYNC', 1)
                """, late, ago(Duration.ofHours(2)));
        InvocationView abandoned = awaitFinal(late);
        Timestamp abandonedMinute = Timestamp.from(abandoned.finishedAt().truncatedTo(ChronoUnit.MINUTES));
        assertThat(jdbc.queryForMap("SELECT invocations, errors FROM invocation_minutes WHERE function_name = "
                + "'phoenix' AND t = ?", abandonedMinute)).containsEntry("invocations", 1L).containsEntry("errors", 1L);

        InvocationCompleted outcome = new InvocationCompleted(late, "phoenix", 1, InvocationStatus.SUCCEEDED,
                StartType.COLD, null, null, null, "", NOW.minusSeconds(120), NOW.minusSeconds(119), 1000, 1, false,
                InvocationMode.ASYNC);
        recordCompleted(outcome, outcome);
        recordCompleted(outcome);

        assertThat(jdbc.queryForMap("SELECT sum(invocations) AS invocations, sum(errors) AS errors, "
                + "sum(succeeded) AS succeeded, sum(cold) AS cold FROM invocation_minutes WHERE function_name = "
                + "'phoenix'")).containsEntry("invocations", BigDecimal.ONE)
                .containsEntry("errors", BigDecimal.ZERO).containsEntry("succeeded", BigDecimal.ONE)
                .containsEntry("cold", BigDecimal.ONE);
        assertThat(jdbc.queryForObject("SELECT succeeded FROM invocation_minutes WHERE function_name = 'phoenix' "
                + "AND t = ?", Long.class, Timestamp.from(NOW.minusSeconds(119).truncatedTo(ChronoUnit.MINUTES))))
                .as("counted in the minute it ended in").isEqualTo(1L);
    }

    private InvocationCompleted completed(UUID id, InvocationStatus status) {
        boolean ok = status == InvocationStatus.SUCCEEDED;
        return new InvocationCompleted(id, "late", 1, status, StartType.WARM,
                ok ? json.readTree("{\"ok\":true}") : null,
                ok ? null : FunctionError.of("ValueError", "bad"),
                ok ? null : ErrorKind.FUNCTION, "", NOW, NOW.plusMillis(3), 3, 1, false, InvocationMode.ASYNC);
    }

    private InvocationView awaitFinal(UUID id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        InvocationView view = get(id);
        while (!view.status().isFinal()) {
            assertThat(System.nanoTime()).as("the reconciliation ended %s within 10 s", id).isLessThan(deadline);
            sleep();
            view = get(id);
        }
        return view;
    }

    private InvocationView get(UUID id) {
        return http.get().uri("/internal/invocations/{id}", id).exchange().expectStatus().isOk()
                .expectBody(InvocationView.class).returnResult().getResponseBody();
    }

    private static Timestamp ago(Duration duration) {
        return Timestamp.from(NOW.minus(duration));
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.cloudfunc.registry.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.invocation.InvocationStarted;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.InvocationView;
import io.cloudfunc.contracts.invocation.RetryScheduled;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.registry.RegistryIntegrationTest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/**
 * The state rules of invocation records, as {@code InvocationRecords} messages apply them: idempotent and
 * order-independent (a final state is never overwritten, nor an attempt by an older one).
 */
class InvocationRecordRulesIT extends RegistryIntegrationTest {

    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");

    @Autowired
    private JsonMapper json;

    @Test
    void appliesTheRecordsOfOneMessageInTheOrderCreatedStartedRetriedCompleted() {
        // Also the container-manager's message for a call that had no QUEUED record (an outside producer's): the
        // record keeps the event and the producer's acceptance time, not the start of the attempt.
        UUID id = UUID.randomUUID();

        record(new InvocationRecords(List.of(created(id, InvocationMode.SYNC)),
                List.of(new InvocationStarted(id, T0.plusMillis(10), 1)), null,
                List.of(succeeded(id, 1, InvocationMode.SYNC))));

        InvocationView record = get(id);
        assertThat(record.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(record.request()).isEqualTo(json.readTree("{\"q\":1}"));
        assertThat(record.acceptedAt()).isEqualTo(T0);
        assertThat(record.startedAt()).isEqualTo(T0.plusMillis(10));
    }

    @Test
    void createsMissingRecordsAndCompletesQueuedOnesInOneMessage() {
        UUID queued = queued(UUID.randomUUID(), InvocationMode.SYNC);
        UUID missing = UUID.randomUUID();

        recordCompleted(succeeded(queued, 1, InvocationMode.SYNC), succeeded(missing, 1, InvocationMode.ASYNC));

        InvocationView completed = get(queued);
        assertThat(completed.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(completed.result()).isEqualTo(json.readTree("{\"ok\":true}"));
        assertThat(completed.startType()).isEqualTo(StartType.WARM);
        assertThat(completed.durationMs()).isEqualTo(3);
        InvocationView created = get(missing);
        assertThat(created.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(created.mode()).isEqualTo(InvocationMode.ASYNC);
        assertThat(created.acceptedAt()).isEqualTo(T0.plusMillis(10));
        assertThat(created.request() == null || created.request().isNull()).as("no request known").isTrue();
    }

    @Test
    void aLateRunningMarkOfARetriedAttemptLeavesTheRecordWaitingForTheNextOne() {
        UUID retried = queued(UUID.randomUUID(), InvocationMode.ASYNC);
        recordRetried(retry(retried));

        recordStarted(new InvocationStarted(retried, T0.plusMillis(5), 1));
        InvocationView waiting = get(retried);
        recordStarted(new InvocationStarted(retried, T0.plusSeconds(2), 2));
        InvocationView running = get(retried);

        assertThat(waiting.status()).as("the first attempt's late mark").isEqualTo(InvocationStatus.QUEUED);
        assertThat(waiting.attempt()).isEqualTo(2);
        assertThat(waiting.error()).isEqualTo(FunctionError.of("Boom", "first"));
        assertThat(waiting.nextAttemptAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(running.status()).isEqualTo(InvocationStatus.RUNNING);
        assertThat(running.startedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(running.nextAttemptAt()).isNull();
    }

    @Test
    void aRunningMarkOfTheNextAttemptThatOvertookItsRetryStays() {
        UUID id = queued(UUID.randomUUID(), InvocationMode.ASYNC);

        recordStarted(new InvocationStarted(id, T0.plusSeconds(2), 2));
        recordRetried(retry(id));

        InvocationView record = get(id);
        assertThat(record.status()).isEqualTo(InvocationStatus.RUNNING);
        assertThat(record.attempt()).isEqualTo(2);
        assertThat(record.startedAt()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void aRetryOfAnUnknownCallCreatesItsRecord() {
        UUID id = UUID.randomUUID();

        recordRetried(retry(id));

        InvocationView record = get(id);
        assertThat(record.status()).isEqualTo(InvocationStatus.QUEUED);
        assertThat(record.mode()).isEqualTo(InvocationMode.ASYNC);
        assertThat(record.attempt()).isEqualTo(2);
        assertThat(record.errorKind()).isEqualTo(ErrorKind.FUNCTION);
    }

    @Test
    void aFinalRecordKeepsItsStateAndAnOlderAttemptChangesNothing() {
        UUID done = queued(UUID.randomUUID(), InvocationMode.SYNC);
        recordCompleted(succeeded(done, 1, InvocationMode.SYNC));
        UUID retried = queued(UUID.randomUUID(), InvocationMode.ASYNC);
        recordRetried(retry(retried));

        // A redelivered completion of the first, a late completion of the retried call's first attempt, a late
        // retry and a late running mark of the finished one.
        record(new InvocationRecords(null, List.of(new InvocationStarted(done, T0.plusSeconds(9), 1)),
                List.of(retry(done)), List.of(failed(done, FunctionError.of("Late", "redelivered")),
                succeeded(retried, 1, InvocationMode.ASYNC))));

        InvocationView finished = get(done);
        assertThat(finished.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(finished.attempt()).isEqualTo(1);
        assertThat(finished.startedAt()).isEqualTo(T0.plusMillis(10));
        InvocationView waiting = get(retried);
        assertThat(waiting.status()).isEqualTo(InvocationStatus.QUEUED);
        assertThat(waiting.attempt()).isEqualTo(2);

        recordCompleted(succeeded(retried, 2, InvocationMode.ASYNC));
        InvocationView last = get(retried);
        assertThat(last.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(last.attempt()).isEqualTo(2);
        assertThat(last.nextAttemptAt()).isNull();
    }

    @Test
    void anInvalidCompletionIsDroppedAndTheOthersOfItsMessageApplied() {
        UUID valid = queued(UUID.randomUUID(), InvocationMode.SYNC);
        UUID other = UUID.randomUUID();
        var notFinal = new InvocationCompleted(other, "batch-done", 1, InvocationStatus.RUNNING, null, null, null,
                null, "", T0, T0, 0, 1, false, InvocationMode.SYNC);
        double dropped = recordsCounted("dropped");

        recordCompleted(succeeded(valid, 1, InvocationMode.SYNC), notFinal);

        assertThat(recordsCounted("dropped")).isEqualTo(dropped + 1);
        assertThat(get(valid).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertProblem(http.get().uri("/internal/invocations/{id}", other).exchange(), 404,
                ProblemTypes.INVOCATION_NOT_FOUND);
    }

    private UUID queued(UUID id, InvocationMode mode) {
        recordCreated(created(id, mode));
        return id;
    }

    private CreateInvocation created(UUID id, InvocationMode mode) {
        return new CreateInvocation(id, "batch-done", 1, json.readTree("{\"q\":1}"), T0, mode);
    }

    private static RetryScheduled retry(UUID id) {
        return new RetryScheduled(id, "batch-done", 1, InvocationStatus.FAILED, FunctionError.of("Boom", "first"),
                ErrorKind.FUNCTION, 2, T0.plusSeconds(1));
    }

    private InvocationCompleted succeeded(UUID id, int attempt, InvocationMode mode) {
        return new InvocationCompleted(id, "batch-done", 1, InvocationStatus.SUCCEEDED, StartType.WARM,
                json.readTree("{\"ok\":true}"), null, null, "out\n", T0.plusMillis(10), T0.plusMillis(13), 3,
                attempt, false, mode);
    }

    private static InvocationCompleted failed(UUID id, FunctionError error) {
        return new InvocationCompleted(id, "batch-done", 1, InvocationStatus.FAILED, StartType.COLD, null, error,
                ErrorKind.FUNCTION, "log \u0000 line\n", T0.plusMillis(20), T0.plusMillis(25), 5, 1, false,
                InvocationMode.SYNC);
    }

    private InvocationView get(UUID id) {
        return http.get().uri("/internal/invocations/{id}", id).exchange().expectStatus().isOk()
                .expectBody(InvocationView.class).returnResult().getResponseBody();
    }
}

package io.cloudfunc.registry.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.InvocationView;
import io.cloudfunc.contracts.invocation.RetryScheduled;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.registry.RegistryIntegrationTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/** {@code PUT /internal/invocations/completions}: many final states at once, with the single PUT's rules. */
class InvocationCompletionsIT extends RegistryIntegrationTest {

    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");

    @Autowired
    private JsonMapper json;

    @Test
    void aBatchStoresWhatTheSinglePutStores() {
        UUID single = queued(UUID.randomUUID(), InvocationMode.SYNC);
        UUID batched = queued(UUID.randomUUID(), InvocationMode.SYNC);
        FunctionError error = new FunctionError("ValueError", "bad \u0000 input", List.of("handler.py:3"));

        http.put().uri("/internal/invocations/{id}", single).body(failed(single, error)).exchange()
                .expectStatus().isNoContent();
        completeAll(List.of(failed(batched, error)));

        InvocationView one = get(single);
        InvocationView many = get(batched);
        assertThat(many.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(many.error().message()).doesNotContain("\u0000");
        assertThat(many).usingRecursiveComparison().ignoringFields("id").isEqualTo(one);
        assertThat(many.request()).isEqualTo(json.readTree("{\"q\":1}"));
        assertThat(many.acceptedAt()).isEqualTo(T0);
    }

    @Test
    void createsMissingRecordsAndCompletesQueuedOnesInOneRequest() {
        UUID queued = queued(UUID.randomUUID(), InvocationMode.SYNC);
        UUID missing = UUID.randomUUID();

        completeAll(List.of(succeeded(queued, 1, InvocationMode.SYNC), succeeded(missing, 1, InvocationMode.ASYNC)));

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
        http.put().uri("/internal/invocations/{id}/retry", retried)
                .body(new RetryScheduled(retried, "batch-done", 1, InvocationStatus.FAILED,
                        FunctionError.of("Boom", "first"), ErrorKind.FUNCTION, 2, T0.plusSeconds(1)))
                .exchange().expectStatus().isNoContent();

        http.put().uri("/internal/invocations/{id}/running", retried)
                .body(Map.of("startedAt", T0.plusMillis(5).toString(), "attempt", 1))
                .exchange().expectStatus().isNoContent();
        InvocationView waiting = get(retried);
        http.put().uri("/internal/invocations/{id}/running", retried)
                .body(Map.of("startedAt", T0.plusSeconds(2).toString(), "attempt", 2))
                .exchange().expectStatus().isNoContent();
        InvocationView running = get(retried);

        assertThat(waiting.status()).as("the first attempt's late mark").isEqualTo(InvocationStatus.QUEUED);
        assertThat(waiting.attempt()).isEqualTo(2);
        assertThat(running.status()).isEqualTo(InvocationStatus.RUNNING);
        assertThat(running.startedAt()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void aFinalRecordKeepsItsStateAndAnOlderAttemptChangesNothing() {
        UUID done = queued(UUID.randomUUID(), InvocationMode.SYNC);
        completeAll(List.of(succeeded(done, 1, InvocationMode.SYNC)));
        UUID retried = queued(UUID.randomUUID(), InvocationMode.ASYNC);
        http.put().uri("/internal/invocations/{id}/retry", retried)
                .body(new RetryScheduled(retried, "batch-done", 1, InvocationStatus.FAILED,
                        FunctionError.of("Boom", "first"), ErrorKind.FUNCTION, 2, T0.plusSeconds(1)))
                .exchange().expectStatus().isNoContent();

        // A redelivered completion of the first, and a late completion of the retried call's first attempt.
        completeAll(List.of(failed(done, FunctionError.of("Late", "redelivered")),
                succeeded(retried, 1, InvocationMode.ASYNC)));

        assertThat(get(done).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        InvocationView waiting = get(retried);
        assertThat(waiting.status()).isEqualTo(InvocationStatus.QUEUED);
        assertThat(waiting.attempt()).isEqualTo(2);

        completeAll(List.of(succeeded(retried, 2, InvocationMode.ASYNC)));
        InvocationView finished = get(retried);
        assertThat(finished.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(finished.attempt()).isEqualTo(2);
        assertThat(finished.nextAttemptAt()).isNull();
    }

    @Test
    void aBatchWithAnInvalidCompletionIsRefusedWhole() {
        UUID valid = queued(UUID.randomUUID(), InvocationMode.SYNC);
        UUID other = UUID.randomUUID();
        var notFinal = new InvocationCompleted(other, "batch-done", 1, InvocationStatus.RUNNING, null, null, null,
                null, "", T0, T0, 0, 1, false, InvocationMode.SYNC);

        assertProblem(http.put().uri("/internal/invocations/completions")
                .body(List.of(succeeded(valid, 1, InvocationMode.SYNC), notFinal)).exchange(), 400,
                ProblemTypes.INVALID_REQUEST);

        assertThat(get(valid).status()).isEqualTo(InvocationStatus.QUEUED);
        http.get().uri("/internal/invocations/{id}", other).exchange().expectStatus().isNotFound();
    }

    private UUID queued(UUID id, InvocationMode mode) {
        http.post().uri("/internal/invocations/batch")
                .body(List.of(new CreateInvocation(id, "batch-done", 1, json.readTree("{\"q\":1}"), T0, mode)))
                .exchange().expectStatus().isNoContent();
        return id;
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

    private void completeAll(List<InvocationCompleted> completions) {
        http.put().uri("/internal/invocations/completions").body(completions).exchange().expectStatus()
                .isNoContent();
    }

    private InvocationView get(UUID id) {
        return http.get().uri("/internal/invocations/{id}", id).exchange().expectStatus().isOk()
                .expectBody(InvocationView.class).returnResult().getResponseBody();
    }
}

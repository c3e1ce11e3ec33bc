package io.cloudfunc.registry.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.InvocationLogs;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.registry.RegistryIntegrationTest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Invocation logs as {@code GET /invocations/{id}/logs} and {@code cloudfunc logs NAME [--follow]} read them. */
class InvocationLogsIT extends RegistryIntegrationTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void answersOneInvocationsLogsAndWhetherTheyWereCut() {
        UUID plain = finished("logs-one", 1, "hello\n", T0.plusSeconds(1));
        UUID cut = finished("logs-one", 1, "x".repeat(10) + InvocationLogs.TRUNCATION_MARK, T0.plusSeconds(2));

        InvocationLogs first = logs(plain);
        InvocationLogs second = logs(cut);

        assertThat(first).isEqualTo(new InvocationLogs(plain, "logs-one", 1, InvocationStatus.SUCCEEDED,
                T0.plusSeconds(1), "hello\n", false));
        assertThat(second.truncated()).isTrue();
        assertThat(second.logs()).endsWith("...[truncated]");
    }

    @Test
    void answersAnUnfinishedInvocationWithEmptyLogs() {
        UUID id = UUID.randomUUID();
        recordCreated(new CreateInvocation(id, "logs-queued", 1, null, T0));

        assertThat(logs(id)).isEqualTo(new InvocationLogs(id, "logs-queued", 1, InvocationStatus.QUEUED, null, "",
                false));
    }

    @Test
    void answers404ForAnUnknownInvocation() {
        assertProblem(http.get().uri("/internal/invocations/{id}/logs", UUID.randomUUID()).exchange(), 404,
                ProblemTypes.INVOCATION_NOT_FOUND);
    }

    @Test
    void listsTheLatestInvocationsOfAFunctionOldestFirst() {
        UUID a = finished("logs-list", 1, "a\n", T0.plusSeconds(1));
        UUID c = finished("logs-list", 2, "c\n", T0.plusSeconds(3));
        UUID b = finished("logs-list", 1, "b\n", T0.plusSeconds(2));
        finished("logs-other", 1, "not mine\n", T0.plusSeconds(4));

        assertThat(ids(http.get().uri("/internal/functions/logs-list/logs").exchange()
                .expectStatus().isOk().expectBody(InvocationLogs[].class).returnResult().getResponseBody()))
                .containsExactly(a, b, c);
        assertThat(ids(http.get().uri("/internal/functions/logs-list/logs?limit=2").exchange()
                .expectStatus().isOk().expectBody(InvocationLogs[].class).returnResult().getResponseBody()))
                .as("the two latest").containsExactly(b, c);
    }

    @Test
    void pagesThroughInvocationsFinishedAfterACursorWithoutSkippingTies() {
        Instant same = T0.plusSeconds(10);
        UUID before = finished("logs-follow", 1, "0\n", T0.plusSeconds(9));
        List<UUID> tied = List.of(finished("logs-follow", 1, "1\n", same), finished("logs-follow", 1, "2\n", same),
                finished("logs-follow", 1, "3\n", same));
        UUID later = finished("logs-follow", 1, "4\n", T0.plusSeconds(11));

        InvocationLogs[] firstPage = http.get()
                .uri("/internal/functions/logs-follow/logs?after={after}&limit=2", T0.plusSeconds(9))
                .exchange().expectStatus().isOk().expectBody(InvocationLogs[].class).returnResult()
                .getResponseBody();
        InvocationLogs last = firstPage[firstPage.length - 1];
        InvocationLogs[] secondPage = http.get()
                .uri("/internal/functions/logs-follow/logs?after={after}&afterId={id}&limit=10", last.finishedAt(),
                        last.invocationId())
                .exchange().expectStatus().isOk().expectBody(InvocationLogs[].class).returnResult()
                .getResponseBody();

        List<UUID> seen = new java.util.ArrayList<>(ids(firstPage));
        seen.addAll(ids(secondPage));
        assertThat(seen).doesNotContain(before).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(tied.stream(), java.util.stream.Stream.of(later)).toList());
        assertThat(seen.getLast()).isEqualTo(later);
    }

    @Test
    void answers404ForAFunctionThatNeverExisted() {
        assertProblem(http.get().uri("/internal/functions/never-deployed-here/logs").exchange(), 404,
                ProblemTypes.FUNCTION_NOT_FOUND);
    }

    @Test
    void rejectsABadCursorOrLimit() {
        assertProblem(http.get().uri("/internal/functions/logs-list/logs?after=yesterday").exchange(), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(http.get().uri("/internal/functions/logs-list/logs?limit=0").exchange(), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(http.get().uri("/internal/functions/logs-list/logs?afterId=" + UUID.randomUUID()).exchange(),
                400, ProblemTypes.INVALID_REQUEST);
        assertProblem(http.get().uri("/internal/functions/Bad_Name/logs").exchange(), 400,
                ProblemTypes.INVALID_REQUEST);
    }

    private UUID finished(String function, int version, String logs, Instant finishedAt) {
        UUID id = UUID.randomUUID();
        recordCompleted(new InvocationCompleted(id, function, version, InvocationStatus.SUCCEEDED, StartType.WARM,
                null, null, null, logs, finishedAt.minusMillis(5), finishedAt, 5));
        return id;
    }

    private InvocationLogs logs(UUID id) {
        return http.get().uri("/internal/invocations/{id}/logs", id).exchange().expectStatus().isOk()
                .expectBody(InvocationLogs.class).returnResult().getResponseBody();
    }

    private static List<UUID> ids(InvocationLogs[] logs) {
        return Arrays.stream(logs).map(InvocationLogs::invocationId).toList();
    }
}

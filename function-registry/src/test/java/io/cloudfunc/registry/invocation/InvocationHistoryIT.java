package io.cloudfunc.registry.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.invocation.InvocationPage;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.InvocationView;
import io.cloudfunc.contracts.invocation.RetryScheduled;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.registry.RegistryIntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.json.JsonMapper;

/** Batched QUEUED records, retries and dead letters, and the history listing with filters and cursors. */
class InvocationHistoryIT extends RegistryIntegrationTest {

    private static final Instant T0 = Instant.parse("2026-04-01T12:00:00Z");

    @Autowired
    private JsonMapper json;

    @Test
    void createdRecordsAreQueuedAndKeepAnOutcomeThatCameFirst() {
        UUID early = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        complete(new InvocationCompleted(early, "batch-fn", 1, InvocationStatus.SUCCEEDED, StartType.WARM,
                json.readTree("1"), null, null, "", T0.plusMillis(5), T0.plusMillis(6), 1, 1, false,
                InvocationMode.ASYNC));

        List<CreateInvocation> batch = List.of(
                new CreateInvocation(early, "batch-fn", 1, json.readTree("{\"n\":1}"), T0, InvocationMode.ASYNC),
                new CreateInvocation(fresh, "batch-fn", 1, json.readTree("{\"n\":2}"), T0, InvocationMode.ASYNC));
        record(new InvocationRecords(batch, null, null, null));
        record(new InvocationRecords(batch, null, null, null));

        InvocationView kept = get(early);
        assertThat(kept.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(kept.request()).isEqualTo(json.readTree("{\"n\":1}"));
        assertThat(kept.acceptedAt()).isEqualTo(T0);
        InvocationView queued = get(fresh);
        assertThat(queued.status()).isEqualTo(InvocationStatus.QUEUED);
        assertThat(queued.mode()).isEqualTo(InvocationMode.ASYNC);
        assertThat(queued.request()).isEqualTo(json.readTree("{\"n\":2}"));
    }

    @Test
    void anInvalidCreatedRecordIsDroppedAndTheOthersApplied() {
        UUID valid = UUID.randomUUID();
        UUID invalid = UUID.randomUUID();

        recordCreated(new CreateInvocation(valid, "batch-fn", 1, null, T0),
                new CreateInvocation(invalid, "Not_Valid", 1, null, T0));

        http.get().uri("/internal/invocations/{id}", valid).exchange().expectStatus().isOk();
        http.get().uri("/internal/invocations/{id}", invalid).exchange().expectStatus().isNotFound();
    }

    @Test
    void listsHistoryNewestFirstAcrossCursorPages() {
        deploy("paged");
        List<UUID> newestFirst = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            UUID id = UUID.randomUUID();
            // two records share each instant: the id breaks the tie, and no page may lose or repeat one
            create(id, "paged", T0.plusSeconds(i / 2));
            newestFirst.addFirst(id);
        }
        create(UUID.randomUUID(), "other-fn", T0.plusSeconds(100));

        List<UUID> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            InvocationPage page = page("/internal/functions/paged/invocations?limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.items()).hasSizeLessThanOrEqualTo(3);
            page.items().forEach(item -> seen.add(item.id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(7).doesNotHaveDuplicates();
        List<Instant> times = seen.stream().map(id -> get(id).acceptedAt()).toList();
        assertThat(times).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(newestFirst);
    }

    @Test
    void filtersHistoryByStatusAndTimeRange() {
        deploy("filtered");
        UUID old = create(UUID.randomUUID(), "filtered", T0);
        UUID middle = create(UUID.randomUUID(), "filtered", T0.plusSeconds(60));
        UUID recent = create(UUID.randomUUID(), "filtered", T0.plusSeconds(120));
        complete(new InvocationCompleted(middle, "filtered", 1, InvocationStatus.FAILED, StartType.WARM, null,
                FunctionError.of("ValueError", "no"), ErrorKind.FUNCTION, "", T0, T0, 1));

        assertThat(ids(page("/internal/functions/filtered/invocations?status=failed"))).containsExactly(middle);
        assertThat(ids(page("/internal/functions/filtered/invocations?status=QUEUED"))).containsExactly(recent, old);
        assertThat(ids(page("/internal/functions/filtered/invocations?from=" + T0.plusSeconds(30) + "&to="
                + T0.plusSeconds(120)))).containsExactly(middle);
        assertThat(ids(page("/internal/functions/filtered/invocations?from=" + T0.plusSeconds(60))))
                .containsExactly(recent, middle);
    }

    @Test
    void refusesBadFiltersAndUnknownFunctions() {
        deploy("strict");
        for (String query : List.of("status=DONE", "from=yesterday", "to=2026-13-01T00:00:00Z", "limit=0",
                "limit=501", "limit=ten", "cursor=not-a-cursor", "cursor=%25%25",
                "from=2026-04-02T00:00:00Z&to=2026-04-01T00:00:00Z")) {
            assertProblem(http.get().uri("/internal/functions/strict/invocations?" + query).exchange(), 400,
                    ProblemTypes.INVALID_REQUEST);
        }
        assertProblem(http.get().uri("/internal/functions/nobody-here/invocations").exchange(), 404,
                ProblemTypes.FUNCTION_NOT_FOUND);
        assertProblem(http.get().uri("/internal/dead-letters?function=Bad_Name").exchange(), 400,
                ProblemTypes.INVALID_REQUEST);
    }

    @Test
    void retriedAttemptsEndAsADeadLetter() {
        UUID id = create(UUID.randomUUID(), "flaky", T0);
        FunctionError first = FunctionError.of("ValueError", "attempt 1");
        Instant retryAt = T0.plusSeconds(1);

        retry(id, new RetryScheduled(id, "flaky", 1, InvocationStatus.FAILED, first, ErrorKind.FUNCTION, 2, retryAt));
        InvocationView waiting = get(id);
        assertThat(waiting.status()).isEqualTo(InvocationStatus.QUEUED);
        assertThat(waiting.attempt()).isEqualTo(2);
        assertThat(waiting.error()).isEqualTo(first);
        assertThat(waiting.nextAttemptAt()).isEqualTo(retryAt);
        assertThat(waiting.mode()).isEqualTo(InvocationMode.ASYNC);

        // a redelivered first attempt's retry mark, and its late completion, change nothing
        retry(id, new RetryScheduled(id, "flaky", 1, InvocationStatus.FAILED, first, ErrorKind.FUNCTION, 2, retryAt));
        complete(new InvocationCompleted(id, "flaky", 1, InvocationStatus.SUCCEEDED, StartType.WARM,
                json.readTree("1"), null, null, "", T0, T0, 1, 1, false, InvocationMode.ASYNC));
        assertThat(get(id).status()).isEqualTo(InvocationStatus.QUEUED);

        FunctionError last = FunctionError.of("ValueError", "attempt 2");
        complete(new InvocationCompleted(id, "flaky", 1, InvocationStatus.FAILED, StartType.WARM, null, last,
                ErrorKind.FUNCTION, "", T0, T0, 1, 2, true, InvocationMode.ASYNC));

        InvocationView dead = get(id);
        assertThat(dead.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(dead.deadLettered()).isTrue();
        assertThat(dead.attempt()).isEqualTo(2);
        assertThat(dead.error()).isEqualTo(last);
        assertThat(dead.nextAttemptAt()).isNull();

        UUID other = create(UUID.randomUUID(), "steady", T0);
        complete(new InvocationCompleted(other, "steady", 1, InvocationStatus.TIMED_OUT, null, null,
                FunctionError.of("TimeoutError", "late"), ErrorKind.FUNCTION, "", T0, T0, 1, 1, true,
                InvocationMode.ASYNC));

        assertThat(ids(page("/internal/dead-letters?function=flaky"))).containsExactly(id);
        assertThat(ids(page("/internal/dead-letters?limit=500"))).contains(id, other);
    }

    private UUID create(UUID id, String function, Instant acceptedAt) {
        recordCreated(new CreateInvocation(id, function, 1, json.readTree("{}"), acceptedAt, InvocationMode.ASYNC));
        return id;
    }

    private void complete(InvocationCompleted completed) {
        recordCompleted(completed);
    }

    private void retry(UUID id, RetryScheduled retry) {
        assertThat(retry.invocationId()).isEqualTo(id);
        recordRetried(retry);
    }

    private InvocationView get(UUID id) {
        return http.get().uri("/internal/invocations/{id}", id).exchange().expectStatus().isOk()
                .expectBody(InvocationView.class).returnResult().getResponseBody();
    }

    private InvocationPage page(String uri) {
        return http.get().uri(uri).exchange().expectStatus().isOk()
                .expectBody(InvocationPage.class).returnResult().getResponseBody();
    }

    private static List<UUID> ids(InvocationPage page) {
        return page.items().stream().map(InvocationView::id).toList();
    }

    private void deploy(String name) {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        HttpHeaders metadata = new HttpHeaders();
        metadata.setContentType(MediaType.APPLICATION_JSON);
        parts.add("metadata", new HttpEntity<>("{\"name\":\"" + name + "\",\"runtime\":\"python\"}", metadata));
        HttpHeaders code = new HttpHeaders();
        code.setContentType(MediaType.parseMediaType("application/zip"));
        code.setContentDispositionFormData("code", "code.zip");
        parts.add("code", new HttpEntity<>(zip("function.py", "def handler(event):\n    return event\n"), code));
        http.post().uri("/internal/functions").contentType(MediaType.MULTIPART_FORM_DATA).body(parts).exchange()
                .expectStatus().isCreated();
    }

    private static byte[] zip(String name, String content) {
        var bytes = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }
}

package io.cloudfunc.registry.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.InvocationView;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.registry.RegistryIntegrationTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Invocation records end to end, as the scheduler and the container-manager use them. */
class InvocationApiIT extends RegistryIntegrationTest {

    private static final Instant ACCEPTED = Instant.parse("2026-03-01T10:00:00.123456Z");
    private static final Instant STARTED = Instant.parse("2026-03-01T10:00:00.250Z");
    private static final Instant FINISHED = Instant.parse("2026-03-01T10:00:01.5Z");

    @Autowired
    private JsonMapper jsonMapper;

    @Test
    void recordsLifecycleFromQueuedThroughRunningToSucceeded() {
        UUID id = UUID.randomUUID();
        JsonNode request = json("{\"name\":\"Ada\",\"tags\":[1,2,3]}");

        InvocationView queued = http.post().uri("/internal/invocations")
                .body(new CreateInvocation(id, "greeter", 3, request, ACCEPTED)).exchange()
                .expectStatus().isCreated()
                .expectHeader().location("/internal/invocations/" + id)
                .expectBody(InvocationView.class).returnResult().getResponseBody();
        // A JSON null reads back as a NullNode where the record type is JsonNode: compare the rest exactly.
        assertThat(queued).usingRecursiveComparison().ignoringFields("result").isEqualTo(new InvocationView(id,
                "greeter", 3, InvocationStatus.QUEUED, null, request, null, null, null, null, ACCEPTED, null, null,
                null));
        assertThat(isJsonNull(queued.result())).isTrue();

        http.put().uri("/internal/invocations/{id}/running", id).body(Map.of("startedAt", STARTED.toString()))
                .exchange().expectStatus().isNoContent();
        InvocationView running = get(id);
        assertThat(running.status()).isEqualTo(InvocationStatus.RUNNING);
        assertThat(running.startedAt()).isEqualTo(STARTED);

        JsonNode result = json("{\"greeting\":\"Hello, Ada\"}");
        complete(id, new InvocationCompleted(id, "greeter", 3, InvocationStatus.SUCCEEDED, StartType.COLD, result,
                null, null, "hello from the function\n", STARTED, FINISHED, 1250));

        assertThat(get(id)).isEqualTo(new InvocationView(id, "greeter", 3, InvocationStatus.SUCCEEDED,
                StartType.COLD, request, result, null, null, "hello from the function\n", ACCEPTED, STARTED, FINISHED,
                1250L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":{\"b\":[true,null]}}", "[1,\"two\",3.5]", "\"just text\"", "42", "-0.125",
            "true", "null", "\"\"", "{}"})
    void keepsRequestAndResultJsonValuesOfEveryKind(String value) {
        UUID id = UUID.randomUUID();
        JsonNode node = json(value);
        created(new CreateInvocation(id, "echo", 1, node, ACCEPTED));
        complete(id, new InvocationCompleted(id, "echo", 1, InvocationStatus.SUCCEEDED, StartType.WARM, node, null,
                null, "", STARTED, FINISHED, 3));

        String body = new String(http.get().uri("/internal/invocations/{id}", id).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
        JsonNode record = json(body);

        assertThat(record.get("request")).isEqualTo(node);
        assertThat(record.get("result")).isEqualTo(node);
    }

    @Test
    void recordsFunctionErrorWithTrace() {
        UUID id = UUID.randomUUID();
        created(new CreateInvocation(id, "failing", 1, json("{}"), ACCEPTED));
        FunctionError error = new FunctionError("ValueError", "bad input",
                List.of("File \"function.py\", line 3, in handler"));

        complete(id, new InvocationCompleted(id, "failing", 1, InvocationStatus.FAILED, StartType.WARM, null, error,
                ErrorKind.FUNCTION, "Traceback...\n", STARTED, FINISHED, 7));

        InvocationView failed = get(id);
        assertThat(failed.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(failed.error()).isEqualTo(error);
        assertThat(failed.errorKind()).isEqualTo(ErrorKind.FUNCTION);
        assertThat(isJsonNull(failed.result())).isTrue();
    }

    @Test
    void replacesNulCharactersInRequestResultErrorAndLogsByTheReplacementCharacter() {
        UUID id = UUID.randomUUID();
        // Written as JSON escapes by the client, as a function's output would be.
        JsonNode request = json("{\"na\\u0000me\":\"A\\u0000da\",\"tags\":[\"\\u0000\",1]}");
        created(new CreateInvocation(id, "greeter", 1, request, ACCEPTED));
        complete(id, new InvocationCompleted(id, "greeter", 1, InvocationStatus.FAILED, StartType.COLD,
                json("{\"out\":\"x\\u0000y\"}"),
                new FunctionError("Value\u0000Error", "bad \u0000 byte", List.of("line\u00001", "line 2")),
                ErrorKind.FUNCTION, "log\u0000line\n", STARTED, FINISHED, 5));

        InvocationView record = get(id);

        assertThat(record.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(record.request()).isEqualTo(json("{\"na\uFFFDme\":\"A\uFFFDda\",\"tags\":[\"\uFFFD\",1]}"));
        assertThat(record.result()).isEqualTo(json("{\"out\":\"x\uFFFDy\"}"));
        assertThat(record.error()).isEqualTo(
                new FunctionError("Value\uFFFDError", "bad \uFFFD byte", List.of("line\uFFFD1", "line 2")));
        assertThat(record.logs()).isEqualTo("log\uFFFDline\n");
    }

    @Test
    void completionWithNulCharactersForUnrecordedInvocationIsStored() {
        UUID id = UUID.randomUUID();
        complete(id, new InvocationCompleted(id, "greeter", 1, InvocationStatus.SUCCEEDED, StartType.WARM,
                json("\"\\u0000\""), null, null, "\u0000", STARTED, FINISHED, 5));

        InvocationView record = get(id);

        assertThat(record.result()).isEqualTo(json("\"\uFFFD\""));
        assertThat(record.logs()).isEqualTo("\uFFFD");
    }

    @Test
    void answersBadRequestForAValueTheDatabaseCannotStore() {
        UUID id = UUID.randomUUID();
        // Beyond PostgreSQL's timestamp range (year 294276): a data exception (SQLState class 22), the caller's
        // mistake; a 5xx would have its sender retry for ever.
        Instant farFuture = Instant.parse("+300000-01-01T00:00:00Z");

        assertProblem(http.put().uri("/internal/invocations/{id}", id)
                .body(new InvocationCompleted(id, "greeter", 1, InvocationStatus.SUCCEEDED, StartType.WARM, null,
                        null, null, "", STARTED, farFuture, 1)).exchange(), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(http.get().uri("/internal/invocations/{id}", id).exchange(), 404,
                ProblemTypes.INVOCATION_NOT_FOUND);
    }

    @Test
    void createWithKnownIdReturnsExistingRecord() {
        UUID id = UUID.randomUUID();
        InvocationView first = created(new CreateInvocation(id, "greeter", 1, json("1"), ACCEPTED));

        InvocationView again = http.post().uri("/internal/invocations")
                .body(new CreateInvocation(id, "greeter", 1, json("2"), Instant.now())).exchange()
                .expectStatus().isOk()
                .expectBody(InvocationView.class).returnResult().getResponseBody();

        assertThat(again).isEqualTo(first);
    }

    @Test
    void repeatedCompletionKeepsFirstOutcome() {
        UUID id = UUID.randomUUID();
        created(new CreateInvocation(id, "greeter", 1, json("{}"), ACCEPTED));
        complete(id, new InvocationCompleted(id, "greeter", 1, InvocationStatus.SUCCEEDED, StartType.COLD,
                json("\"first\""), null, null, "", STARTED, FINISHED, 10));

        complete(id, new InvocationCompleted(id, "greeter", 1, InvocationStatus.FAILED, StartType.WARM, null,
                FunctionError.of("PlatformError", "late duplicate"), ErrorKind.PLATFORM, "", STARTED, Instant.now(),
                99));

        InvocationView record = get(id);
        assertThat(record.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(record.result()).isEqualTo(json("\"first\""));
        assertThat(record.durationMs()).isEqualTo(10);
    }

    @Test
    void runningMarkAfterCompletionIsIgnored() {
        UUID id = UUID.randomUUID();
        created(new CreateInvocation(id, "greeter", 1, json("{}"), ACCEPTED));
        complete(id, new InvocationCompleted(id, "greeter", 1, InvocationStatus.TIMED_OUT, StartType.COLD, null,
                FunctionError.of("TimeoutError", "exceeded 1000 ms"), ErrorKind.FUNCTION, "", STARTED, FINISHED,
                1000));

        http.put().uri("/internal/invocations/{id}/running", id).body(Map.of("startedAt", Instant.now().toString()))
                .exchange().expectStatus().isNoContent();

        InvocationView record = get(id);
        assertThat(record.status()).isEqualTo(InvocationStatus.TIMED_OUT);
        assertThat(record.startedAt()).isEqualTo(STARTED);
    }

    @Test
    void completionOfUnrecordedInvocationCreatesTheRecord() {
        UUID id = UUID.randomUUID();

        complete(id, new InvocationCompleted(id, "orphan", 2, InvocationStatus.FAILED, null, null,
                FunctionError.of("PlatformError", "container died"), ErrorKind.PLATFORM, null, null, FINISHED, 0));

        InvocationView record = get(id);
        assertThat(record.functionName()).isEqualTo("orphan");
        assertThat(record.version()).isEqualTo(2);
        assertThat(record.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(record.errorKind()).isEqualTo(ErrorKind.PLATFORM);
        assertThat(record.acceptedAt()).isEqualTo(FINISHED);
        assertThat(record.finishedAt()).isEqualTo(FINISHED);
    }

    @Test
    void createAfterAnEarlyCompletionKeepsTheOutcomeAndAddsTheRequest() {
        UUID id = UUID.randomUUID();
        complete(id, new InvocationCompleted(id, "greeter", 1, InvocationStatus.SUCCEEDED, StartType.WARM,
                json("\"Hello Bob!\""), null, null, "", STARTED, FINISHED, 3));

        InvocationView afterCreate = http.post().uri("/internal/invocations")
                .body(new CreateInvocation(id, "greeter", 1, json("{\"name\":\"Bob\"}"), ACCEPTED)).exchange()
                .expectStatus().isOk()
                .expectBody(InvocationView.class).returnResult().getResponseBody();

        assertThat(afterCreate.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        InvocationView record = get(id);
        assertThat(record.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(record.result()).isEqualTo(json("\"Hello Bob!\""));
        assertThat(record.request()).isEqualTo(json("{\"name\":\"Bob\"}"));
        assertThat(record.acceptedAt()).isEqualTo(ACCEPTED);
        assertThat(record.startedAt()).isEqualTo(STARTED);
    }

    @Test
    void answersNotFoundForUnknownInvocation() {
        UUID id = UUID.randomUUID();

        assertProblem(http.get().uri("/internal/invocations/{id}", id).exchange(), 404,
                ProblemTypes.INVOCATION_NOT_FOUND)
                .jsonPath("$.invocationId").isEqualTo(id.toString());
        assertProblem(http.put().uri("/internal/invocations/{id}/running", id)
                .body(Map.of("startedAt", STARTED.toString())).exchange(), 404, ProblemTypes.INVOCATION_NOT_FOUND);
    }

    @Test
    void rejectsMalformedIdsAndBodies() {
        assertProblem(http.get().uri("/internal/invocations/not-a-uuid").exchange(), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(http.post().uri("/internal/invocations").contentType(MediaType.APPLICATION_JSON)
                .body("{\"id\":").exchange(), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(http.post().uri("/internal/invocations").contentType(MediaType.APPLICATION_JSON)
                .body("{\"id\":\"nope\",\"functionName\":\"greeter\",\"version\":1}").exchange(), 400,
                ProblemTypes.INVALID_REQUEST)
                .jsonPath("$.detail").isEqualTo("the request body has an invalid value at 'id'");
        assertProblem(http.post().uri("/internal/invocations")
                .body(new CreateInvocation(UUID.randomUUID(), "Bad Name", 1, null, ACCEPTED)).exchange(), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(http.post().uri("/internal/invocations").contentType(MediaType.TEXT_PLAIN).body("hello")
                .exchange(), 415, ProblemTypes.UNSUPPORTED_MEDIA_TYPE);

        UUID id = UUID.randomUUID();
        assertProblem(http.put().uri("/internal/invocations/{id}", id)
                .body(new InvocationCompleted(id, "greeter", 1, InvocationStatus.RUNNING, null, null, null, null,
                        null, STARTED, FINISHED, 1)).exchange(), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(http.put().uri("/internal/invocations/{id}", id)
                .body(new InvocationCompleted(UUID.randomUUID(), "greeter", 1, InvocationStatus.SUCCEEDED, null,
                        null, null, null, null, STARTED, FINISHED, 1)).exchange(), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(http.get().uri("/internal/invocations/{id}", id).exchange(), 404,
                ProblemTypes.INVOCATION_NOT_FOUND);
    }

    @Test
    void exposesPrometheusMetricsWithoutObservingTheInternalApi() {
        http.get().uri("/actuator/health").exchange().expectStatus().isOk();
        http.get().uri("/internal/invocations/{id}", UUID.randomUUID()).exchange().expectStatus().isNotFound();

        String metrics = new String(http.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());

        assertThat(metrics).contains("jvm_memory_used_bytes").contains("http_server_requests")
                .contains("uri=\"/actuator/health\"").doesNotContain("uri=\"/internal/");
    }

    private InvocationView created(CreateInvocation create) {
        return http.post().uri("/internal/invocations").body(create).exchange()
                .expectStatus().isCreated()
                .expectBody(InvocationView.class).returnResult().getResponseBody();
    }

    private void complete(UUID id, InvocationCompleted completed) {
        http.put().uri("/internal/invocations/{id}", id).body(completed).exchange().expectStatus().isNoContent();
    }

    private InvocationView get(UUID id) {
        return http.get().uri("/internal/invocations/{id}", id).exchange()
                .expectStatus().isOk()
                .expectBody(InvocationView.class).returnResult().getResponseBody();
    }

    private static boolean isJsonNull(JsonNode node) {
        return node == null || node.isNull();
    }

    private JsonNode json(String text) {
        return jsonMapper.readTree(text);
    }
}

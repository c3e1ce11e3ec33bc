package io.cloudfunc.registry.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationStarted;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.InvocationView;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.registry.RegistryIntegrationTest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Invocation records end to end, as the scheduler and the container-manager send them (messages to
 * {@code cloudfunc.records}) and the gateway reads them.
 */
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

        recordCreated(new CreateInvocation(id, "greeter", 3, request, ACCEPTED));
        InvocationView queued = get(id);
        // A JSON null reads back as a NullNode where the record type is JsonNode: compare the rest exactly.
        assertThat(queued).usingRecursiveComparison().ignoringFields("result").isEqualTo(new InvocationView(id,
                "greeter", 3, InvocationStatus.QUEUED, null, request, null, null, null, null, ACCEPTED, null, null,
                null));
        assertThat(isJsonNull(queued.result())).isTrue();

        recordStarted(new InvocationStarted(id, STARTED, 1));
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
    void dropsARecordWithAValueTheDatabaseCannotStoreAndAppliesTheOthersOfItsMessage() {
        UUID bad = UUID.randomUUID();
        UUID good = UUID.randomUUID();
        double droppedBefore = recordsCounted("dropped");
        // Beyond PostgreSQL's timestamp range (year 294276): a data exception (SQLState class 22). Redelivering
        // the message would fail the same way for ever.
        Instant farFuture = Instant.parse("+300000-01-01T00:00:00Z");

        record(new InvocationRecords(null, null, null, List.of(
                new InvocationCompleted(bad, "greeter", 1, InvocationStatus.SUCCEEDED, StartType.WARM, null, null,
                        null, "", STARTED, farFuture, 1),
                new InvocationCompleted(good, "greeter", 1, InvocationStatus.SUCCEEDED, StartType.WARM, null, null,
                        null, "", STARTED, FINISHED, 1))));

        assertThat(recordsCounted("dropped")).isEqualTo(droppedBefore + 1);
        assertThat(get(good).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertProblem(http.get().uri("/internal/invocations/{id}", bad).exchange(), 404,
                ProblemTypes.INVOCATION_NOT_FOUND);
    }

    @Test
    void aRepeatedCreatedRecordChangesNothing() {
        UUID id = UUID.randomUUID();
        InvocationView first = created(new CreateInvocation(id, "greeter", 1, json("1"), ACCEPTED));

        recordCreated(new CreateInvocation(id, "greeter", 1, json("2"), Instant.now()));

        assertThat(get(id)).isEqualTo(first);
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

        recordStarted(new InvocationStarted(id, Instant.now(), 1));

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

        recordCreated(new CreateInvocation(id, "greeter", 1, json("{\"name\":\"Bob\"}"), ACCEPTED));

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
    }

    @Test
    void aStartedMarkForAnUnknownIdCreatesNoRecord() {
        UUID id = UUID.randomUUID();

        recordStarted(new InvocationStarted(id, STARTED, 1));

        assertProblem(http.get().uri("/internal/invocations/{id}", id).exchange(), 404,
                ProblemTypes.INVOCATION_NOT_FOUND);
    }

    @Test
    void rejectsAMalformedId() {
        assertProblem(http.get().uri("/internal/invocations/not-a-uuid").exchange(), 400,
                ProblemTypes.INVALID_REQUEST);
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
        recordCreated(create);
        return get(create.id());
    }

    private void complete(UUID id, InvocationCompleted completed) {
        assertThat(completed.invocationId()).isEqualTo(id);
        recordCompleted(completed);
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

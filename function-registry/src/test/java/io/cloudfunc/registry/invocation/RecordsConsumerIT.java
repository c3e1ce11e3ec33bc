package io.cloudfunc.registry.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.InvocationIds;
import io.cloudfunc.contracts.invocation.InvocationLogs;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.InvocationView;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.registry.LocalServices;
import io.cloudfunc.registry.RegistryIntegrationTest;
import io.cloudfunc.support.messaging.RecordPublisher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.util.RawValue;

/**
 * The registry as the only writer of invocation records: its consumer of {@code cloudfunc.records} (invalid records
 * never loop, a database outage loses nothing), no HTTP endpoint that writes records, and the short wait of a read
 * for a record about to be written.
 */
@TestPropertySource(properties = {
        "registry.invocations.record-wait=1s",
        "registry.invocations.requeue-pause=200ms",
        "spring.datasource.hikari.connection-timeout=500"})
class RecordsConsumerIT extends RegistryIntegrationTest {

    private static final Instant T0 = Instant.parse("2026-07-01T08:00:00Z");
    private static final Set<RequestMethod> WRITES = EnumSet.of(RequestMethod.POST, RequestMethod.PUT,
            RequestMethod.PATCH, RequestMethod.DELETE);

    @Autowired
    private JsonMapper json;
    @Autowired
    private RabbitTemplate rabbit;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    @Test
    void exposesNoHttpEndpointThatWritesInvocationRecords() {
        var invocationMappings = mappings.getHandlerMethods().keySet().stream()
                .filter(info -> info.getPatternValues().stream().anyMatch(p -> p.startsWith("/internal/invocations")))
                .toList();

        assertThat(invocationMappings).as("the reads are there").isNotEmpty();
        assertThat(invocationMappings).allSatisfy(info -> assertThat(info.getMethodsCondition().getMethods())
                .as("%s: a mapping without methods takes every method", info)
                .isNotEmpty()
                .doesNotContainAnyElementsOf(WRITES));
    }

    @Test
    void appliesTheValidRecordsOfAMessageDropsTheInvalidOnesAndAcksIt() {
        UUID valid = UUID.randomUUID();
        UUID badName = UUID.randomUUID();
        UUID notFinal = UUID.randomUUID();
        UUID unknownEnum = UUID.randomUUID();
        UUID firstAttemptRetry = UUID.randomUUID();
        double dropped = recordsCounted("dropped");
        String body = """
                {"created": [
                   {"id": "%s", "functionName": "consumer", "version": 1, "request": {"a": 1},
                    "acceptedAt": "2026-07-01T08:00:00Z"},
                   {"id": "%s", "functionName": "Bad Name", "version": 1, "acceptedAt": "2026-07-01T08:00:00Z"},
                   {"id": "not-a-uuid", "functionName": "consumer", "version": 1}],
                 "retried": [
                   {"invocationId": "%s", "functionName": "consumer", "version": 1, "failedStatus": "FAILED",
                    "nextAttempt": 1}],
                 "completed": [
                   {"invocationId": "%s", "functionName": "consumer", "version": 1, "status": "RUNNING"},
                   {"invocationId": "%s", "functionName": "consumer", "version": 1, "status": "SUCCEEDED",
                    "startType": "LUKEWARM"}]}
                """.formatted(valid, badName, firstAttemptRetry, notFinal, unknownEnum);

        publishRecords(body.getBytes(StandardCharsets.UTF_8), 6);

        assertThat(recordsCounted("dropped")).isEqualTo(dropped + 5);
        assertThat(get(valid).request()).isEqualTo(json.readTree("{\"a\":1}"));
        for (UUID id : List.of(badName, notFinal, unknownEnum, firstAttemptRetry)) {
            assertProblem(http.get().uri("/internal/invocations/{id}", id).exchange(), 404,
                    ProblemTypes.INVOCATION_NOT_FOUND);
        }
        assertNothingLeftInTheQueue();
    }

    @Test
    void dropsAMessageThatIsNotJson() {
        double dropped = recordsCounted("dropped");

        publishRecords("not json".getBytes(StandardCharsets.UTF_8), 1);

        assertThat(recordsCounted("dropped")).isEqualTo(dropped + 1);
        assertNothingLeftInTheQueue();
    }

    @Test
    void keepsTheRecordsWhileTheDatabaseIsDownAndAppliesThemWhenItIsBack() throws Exception {
        UUID id = UUID.randomUUID();
        double processed = processedRecords();
        double dropped = recordsCounted("dropped");
        LocalServices.allowConnections(false);
        try {
            sendRecords(json.writeValueAsBytes(new InvocationRecords(null, null, null, List.of(completed(id)))));
            Thread.sleep(1500); // several tries, each refused a connection after 500 ms, then requeued

            assertThat(processedRecords()).as("nothing applied nor dropped").isEqualTo(processed);
        } finally {
            LocalServices.allowConnections(true);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (http.get().uri("/internal/invocations/{id}", id).exchange().returnResult().getStatus().value() != 200
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        assertThat(get(id).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(recordsCounted("dropped")).isEqualTo(dropped);
    }

    @Test
    void aRawJsonRequestTravelsThroughTheMessageIntoTheRecord() {
        CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", 5672);
        connections.setVirtualHost(LocalServices.vhost());
        connections.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        connections.setPublisherReturns(true);
        RabbitTemplate confirming = new RabbitTemplate(connections);
        confirming.setMandatory(true);
        UUID id = UUID.randomUUID();
        String event = "{\"name\": \"Ada\", \"n\": [1, 2.50, {\"deep\": null}]}";
        double processed = processedRecords();
        try (var records = new RecordPublisher(confirming, json, Duration.ofMillis(1), 256, Duration.ofSeconds(5))) {
            records.created(new CreateInvocation(id, "raw", 1,
                    json.getNodeFactory().rawValueNode(new RawValue(event)), T0)).join();
        } finally {
            connections.destroy();
        }
        awaitProcessed(processed + 1);

        // numbers compared by value: 2.50 may come back as 2.5 (PostgreSQL's jsonb keeps the value, not the text)
        Comparator<JsonNode> byValue = (a, b) -> a.isNumber() && b.isNumber()
                ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;
        JsonNode stored = get(id).request();
        assertThat(stored.equals(byValue, json.readTree(event))).as(String.valueOf(stored)).isTrue();
    }

    @Test
    void aReadRightAfterTheCallWaitsForItsRecord() throws Exception {
        UUID id = InvocationIds.newId();
        try (var reader = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<InvocationView> record = CompletableFuture.supplyAsync(() -> get(id), reader);
            CompletableFuture<InvocationLogs> logs = CompletableFuture.supplyAsync(() -> http.get()
                    .uri("/internal/invocations/{id}/logs", id).exchange().expectStatus().isOk()
                    .expectBody(InvocationLogs.class).returnResult().getResponseBody(), reader);
            Thread.sleep(300);

            recordCreated(new CreateInvocation(id, "waited", 1, null, Instant.now()));

            assertThat(record.get().status()).isEqualTo(InvocationStatus.QUEUED);
            assertThat(logs.get().status()).isEqualTo(InvocationStatus.QUEUED);
        }
    }

    @Test
    void answersNotFoundForARecentIdAfterTheRecordWaitAndForAnOlderIdAtOnce() {
        UUID recent = InvocationIds.newId();
        long start = System.nanoTime();
        assertProblem(http.get().uri("/internal/invocations/{id}", recent).exchange(), 404,
                ProblemTypes.INVOCATION_NOT_FOUND);
        Duration waited = Duration.ofNanos(System.nanoTime() - start);

        UUID random = UUID.randomUUID();
        start = System.nanoTime();
        assertProblem(http.get().uri("/internal/invocations/{id}", random).exchange(), 404,
                ProblemTypes.INVOCATION_NOT_FOUND);
        Duration atOnce = Duration.ofNanos(System.nanoTime() - start);

        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(atOnce).isLessThan(Duration.ofMillis(900));
    }

    private void assertNothingLeftInTheQueue() {
        var queue = new RabbitAdmin(rabbit).getQueueInfo(Topology.RECORDS_QUEUE);
        assertThat(queue).isNotNull();
        assertThat(queue.getMessageCount()).isZero();
        double processed = processedRecords();
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(processedRecords()).as("no message came back").isEqualTo(processed);
    }

    private void awaitProcessed(double records) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (processedRecords() < records && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertThat(processedRecords()).isGreaterThanOrEqualTo(records);
    }

    private static InvocationCompleted completed(UUID id) {
        return new InvocationCompleted(id, "consumer", 1, InvocationStatus.SUCCEEDED, StartType.WARM, null, null,
                null, "", T0, T0.plusMillis(5), 5);
    }

    private InvocationView get(UUID id) {
        return http.get().uri("/internal/invocations/{id}", id).exchange().expectStatus().isOk()
                .expectBody(InvocationView.class).returnResult().getResponseBody();
    }
}

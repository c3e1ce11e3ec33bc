package io.cloudfunc.scheduler.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.messaging.FunctionChanged;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.scheduler.support.FakeContainerManager;
import io.cloudfunc.scheduler.support.RunningScheduler;
import io.cloudfunc.scheduler.support.StubRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The scheduler against the real local RabbitMQ (its own vhost), a stub registry over HTTP and a fake
 * container-manager consuming {@code cloudfunc.invoke}.
 */
class SynchronousInvocationIT {

    private static RunningScheduler running;
    private static StubRegistry registry;
    private static FakeContainerManager containerManager;
    private static URI base;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        running = RunningScheduler.start("cf_it_scheduler", "--scheduler.reply-timeout-margin=300ms");
        registry = running.registry;
        containerManager = running.containerManager;
        base = running.base;
        registry.put("echo", 3, 2_000);
        registry.put("silent", 1, 200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void answersWithTheContainerManagersReply() throws Exception {
        HttpResponse<String> response = invoke("echo", "{\"greeting\":\"hello\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        InvocationCompleted completed = StubRegistry.JSON.readValue(response.body(), InvocationCompleted.class);
        assertThat(completed.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(completed.functionName()).isEqualTo("echo");
        assertThat(completed.version()).isEqualTo(3);
        assertThat(completed.result().path("greeting").asString()).isEqualTo("hello");
        CreateInvocation record = createdRecord(completed.invocationId());
        assertThat(record.version()).isEqualTo(3);
        assertThat(record.request().path("greeting").asString()).isEqualTo("hello");
        assertThat(record.acceptedAt()).isNotNull();
    }

    @Test
    void treatsAnEmptyBodyAsAnEmptyObject() throws Exception {
        HttpResponse<String> response = invoke("echo", "");

        assertThat(response.statusCode()).isEqualTo(200);
        InvocationCompleted completed = StubRegistry.JSON.readValue(response.body(), InvocationCompleted.class);
        assertThat(completed.result().isObject()).isTrue();
        assertThat(completed.result().size()).isZero();
    }

    @Test
    void publishesAPersistentJsonMessageWithTheDocumentedProperties() throws Exception {
        HttpResponse<String> response = invoke("echo", "[1,2,3]");
        InvocationCompleted completed = StubRegistry.JSON.readValue(response.body(), InvocationCompleted.class);

        var delivery = containerManager.deliveryOf(completed.invocationId().toString());
        assertThat(delivery.envelope().getExchange()).isEqualTo(Topology.INVOCATIONS_EXCHANGE);
        assertThat(delivery.envelope().getRoutingKey()).isEqualTo(Topology.INVOKE_ROUTING_KEY);
        assertThat(delivery.properties().getDeliveryMode()).isEqualTo(2);
        assertThat(delivery.properties().getContentType()).isEqualTo("application/json");
        assertThat(delivery.properties().getType()).isEqualTo(Topology.TYPE_INVOKE_FUNCTION);
        assertThat(delivery.properties().getCorrelationId()).isEqualTo(completed.invocationId().toString());
        assertThat(delivery.properties().getReplyTo()).startsWith("cloudfunc.replies.");
        InvokeFunction command = delivery.command();
        assertThat(command.functionName()).isEqualTo("echo");
        assertThat(command.version()).isEqualTo(3);
        assertThat(command.payload().isArray()).isTrue();
        assertThat(command.acceptedAt()).isEqualTo(createdRecord(completed.invocationId()).acceptedAt());
    }

    @Test
    void recordsAndPublishesTheCallersApiKeyId() throws Exception {
        UUID keyId = UUID.randomUUID();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/internal/functions/echo/invoke"))
                .header("Content-Type", "application/json")
                .header("X-CloudFunc-Api-Key-Id", keyId.toString())
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        InvocationCompleted completed = StubRegistry.JSON.readValue(response.body(), InvocationCompleted.class);

        assertThat(createdRecord(completed.invocationId()).apiKeyId()).isEqualTo(keyId);
        assertThat(containerManager.deliveryOf(completed.invocationId().toString()).command().apiKeyId())
                .isEqualTo(keyId);
        // a call by reference (name:version) is recorded for the caller too
        HttpResponse<String> byVersion = http.send(HttpRequest.newBuilder(base.resolve("/internal/functions/echo:3/invoke"))
                .header("Content-Type", "application/json")
                .header("X-CloudFunc-Api-Key-Id", keyId.toString())
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(byVersion.statusCode()).as(byVersion.body()).isEqualTo(200);
        InvocationCompleted pinned = StubRegistry.JSON.readValue(byVersion.body(), InvocationCompleted.class);
        assertThat(createdRecord(pinned.invocationId()).apiKeyId()).isEqualTo(keyId);
        assertThat(createdRecord(pinned.invocationId()).version()).isEqualTo(3);
        assertThat(containerManager.deliveryOf(pinned.invocationId().toString()).command().apiKeyId())
                .isEqualTo(keyId);
        // without the header (a call from inside the platform) nothing is recorded
        InvocationCompleted anonymous = StubRegistry.JSON.readValue(invoke("echo", "{}").body(),
                InvocationCompleted.class);
        assertThat(createdRecord(anonymous.invocationId()).apiKeyId()).isNull();
    }

    @Test
    void givesEachOverlappingCallerItsOwnReply() throws Exception {
        int calls = 8;
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < calls; i++) {
                // Earlier calls are answered later, so replies come back in the reverse order of the requests.
                String event = "{\"caller\":" + i + ",\"delayMs\":" + (50 + (calls - i) * 40) + "}";
                responses.add(callers.submit(() -> invoke("echo", event)));
            }
        }
        for (int i = 0; i < calls; i++) {
            HttpResponse<String> response = responses.get(i).get();
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode result = StubRegistry.JSON.readTree(response.body()).path("result");
            assertThat(result.path("caller").asInt()).isEqualTo(i);
        }
    }

    @Test
    void answers504WithTheInvocationIdWhenNoReplyComesInTime() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = invoke("silent", "{}");
        long waitedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = StubRegistry.JSON.readTree(response.body());
        assertThat(problem.path("type").asString()).isEqualTo("urn:cloudfunc:problem:function-timeout");
        UUID invocationId = UUID.fromString(problem.path("invocationId").asString());
        assertThat(createdRecord(invocationId).functionName()).isEqualTo("silent");
        assertThat(containerManager.deliveryOf(invocationId.toString())).isNotNull();
        // timeoutMs 200 + margin 300 ms
        assertThat(waitedMs).isGreaterThanOrEqualTo(500);
    }

    @Test
    void passesTheRegistrys404ProblemThroughUnchanged() throws Exception {
        HttpResponse<String> response = invoke("no-such-function", "{}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).isEqualTo(new String(StubRegistry.notFoundBody("no-such-function"),
                StandardCharsets.UTF_8));
    }

    @Test
    void rejectsInvalidJsonAndInvalidNamesWithProblems() throws Exception {
        HttpResponse<String> badJson = invoke("echo", "{\"unterminated\":");
        HttpResponse<String> badName = invoke("Not_A_Name", "{}");

        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(StubRegistry.JSON.readTree(badJson.body()).path("type").asString())
                .isEqualTo("urn:cloudfunc:problem:invalid-request");
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(badName.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void answersUnknownPathsAndWrongMethodsWithProblems() throws Exception {
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(base.resolve("/nothing/here")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrongMethod = http.send(
                HttpRequest.newBuilder(base.resolve("/internal/functions/echo/invoke")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(StubRegistry.JSON.readTree(unknown.body()).path("type").asString())
                .isEqualTo("urn:cloudfunc:problem:not-found");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(StubRegistry.JSON.readTree(wrongMethod.body()).path("type").asString())
                .isEqualTo("urn:cloudfunc:problem:method-not-allowed");
    }

    @Test
    void resolvesAgainAfterAFunctionChangedEvent() throws Exception {
        registry.put("cached", 1, 2_000);
        assertThat(versionRun(invoke("cached", "{}"))).isEqualTo(1);
        assertThat(versionRun(invoke("cached", "{}"))).isEqualTo(1);
        assertThat(registry.lookups("cached")).isEqualTo(1);

        registry.put("cached", 2, 2_000);
        assertThat(versionRun(invoke("cached", "{}"))).as("still cached before the event").isEqualTo(1);
        try (var channel = containerManager.connection().createChannel()) {
            channel.basicPublish(Topology.EVENTS_EXCHANGE, Topology.FUNCTION_CHANGED_ROUTING_KEY,
                    new com.rabbitmq.client.AMQP.BasicProperties.Builder().contentType("application/json")
                            .type(Topology.TYPE_FUNCTION_CHANGED).build(),
                    StubRegistry.JSON.writeValueAsBytes(
                            new FunctionChanged("cached", FunctionChanged.Change.DEPLOYED, 2)));
        }

        int version = 1;
        for (int attempt = 0; attempt < 50 && version == 1; attempt++) {
            Thread.sleep(50);
            version = versionRun(invoke("cached", "{}"));
        }
        assertThat(version).isEqualTo(2);
        assertThat(registry.lookups("cached")).isEqualTo(2);
    }

    @Test
    void forgetsAFunctionAtOnceWhenTheGatewaySaysItChanged() throws Exception {
        registry.put("forgotten", 1, 2_000);
        assertThat(versionRun(invoke("forgotten", "{}"))).isEqualTo(1);
        registry.put("forgotten", 2, 2_000);
        assertThat(versionRun(invoke("forgotten", "{}"))).as("still cached").isEqualTo(1);

        HttpResponse<String> forget = http.send(HttpRequest.newBuilder(
                base.resolve("/internal/function-cache/forgotten")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(forget.statusCode()).isEqualTo(204);
        assertThat(versionRun(invoke("forgotten", "{}"))).as("the very next call").isEqualTo(2);
        registry.put("forgotten", 3, 2_000);
        HttpResponse<String> deployedThree = http.send(HttpRequest.newBuilder(
                base.resolve("/internal/function-cache/forgotten?version=3")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(deployedThree.statusCode()).isEqualTo(204);
        assertThat(versionRun(invoke("forgotten", "{}"))).as("a newer version than the cached one").isEqualTo(3);
        HttpResponse<String> invalid = http.send(HttpRequest.newBuilder(
                base.resolve("/internal/function-cache/Not_A_Name")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(invalid.statusCode()).isEqualTo(400);
        HttpResponse<String> notANumber = http.send(HttpRequest.newBuilder(
                base.resolve("/internal/function-cache/forgotten?version=three")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(notANumber.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void declaresTheTopologyWithTheContainerManagersArguments() throws Exception {
        try (var channel = containerManager.connection().createChannel()) {
            // Throws (and closes the channel) on PRECONDITION_FAILED if any argument differs.
            FakeContainerManager.declareTopologyLikeTheContainerManager(channel);
            assertThat(channel.isOpen()).isTrue();
            assertThat(channel.queueDeclarePassive(Topology.DEAD_LETTER_QUEUE).getQueue())
                    .isEqualTo(Topology.DEAD_LETTER_QUEUE);
        }
    }

    @Test
    void exposesInvocationMetricsForPrometheus() throws Exception {
        invoke("echo", "{}");

        HttpResponse<String> metrics = http.send(
                HttpRequest.newBuilder(base.resolve("/actuator/prometheus")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("cloudfunc_scheduler_invocations_seconds_count{outcome=\"succeeded\"")
                .contains("cloudfunc_scheduler_pending_replies");
    }

    private static int versionRun(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        InvocationCompleted completed = StubRegistry.JSON.readValue(response.body(), InvocationCompleted.class);
        return containerManager.deliveryOf(completed.invocationId().toString()).command().version();
    }

    private static CreateInvocation createdRecord(UUID id) {
        return registry.created().stream()
                .filter(invocation -> invocation.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no invocation record created for " + id));
    }

    private static HttpResponse<String> invoke(String function, String event) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/internal/functions/" + function + "/invoke"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}

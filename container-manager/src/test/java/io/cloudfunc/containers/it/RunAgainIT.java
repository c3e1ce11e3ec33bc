package io.cloudfunc.containers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudfunc.containers.pool.ContainerSnapshot;
import io.cloudfunc.containers.pool.ContainerState;
import io.cloudfunc.containers.pool.FunctionKey;
import io.cloudfunc.containers.pool.Labels;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.support.messaging.TransientPublisher;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Calls that run again, with real containers, and say so ({@code context.attempt}, the record's {@code attempt}):
 * asynchronous calls whose container is killed from outside ({@code docker kill}) during the call, whose functions
 * have no retries of their own ({@code maxRetries} 0); and a call whose message the broker delivers again because
 * the manager's connection dropped during the call (as when a manager dies).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RunAgainIT extends ManagerIT {

    static final ItInfrastructure INFRA = ItInfrastructure.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
        registry.add("containers.consumer.platform-retry-delay", () -> "200ms");
    }

    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    @Autowired
    private TransientPublisher consumers;
    /** Keys of the containers killed so far. */
    private final Set<String> killed = ConcurrentHashMap.newKeySet();

    @Test
    void asyncCallWhoseContainerIsKilledRunsAgainThoughItsFunctionHasNoRetriesAndSucceeds() throws Exception {
        FunctionVersionView function = deploy("killed", """
                import time
                def handler(event, context):
                    if context.attempt == 1:
                        time.sleep(30)
                    return {"attempt": context.attempt}
                """);
        UUID id = publishAsync(function, calls().replyQueue());

        killItsContainerOnceAttemptRuns(function, id, 1);

        InvocationCompleted completed = awaitCompleted(id);
        InvocationCompleted reply = awaitReplies(List.of(id)).get(id);
        assertThat(reply.status()).as("the producer's reply_to gets the final outcome").isEqualTo(
                InvocationStatus.SUCCEEDED);
        assertThat(reply.attempt()).isEqualTo(2);
        assertThat(completed.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(completed.result().path("attempt").intValue()).as("the function saw its second run").isEqualTo(2);
        assertThat(completed.attempt()).isEqualTo(2);
        assertThat(completed.deadLettered()).isFalse();
    }

    @Test
    void asyncCallKilledOnEveryRunIsADeadLetterAfterTwoPlatformRetries() throws Exception {
        FunctionVersionView function = deploy("always-killed", """
                import time
                def handler(event, context):
                    time.sleep(30)
                    return "never"
                """);
        UUID id = publishAsync(function);

        for (int attempt = 1; attempt <= 3; attempt++) {
            killItsContainerOnceAttemptRuns(function, id, attempt);
        }

        InvocationCompleted completed = awaitCompleted(id);
        assertThat(completed.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(completed.errorKind()).isEqualTo(ErrorKind.PLATFORM);
        assertThat(completed.error().message()).contains("killed");
        assertThat(completed.attempt()).as("the first run and two platform retries").isEqualTo(3);
        assertThat(completed.deadLettered()).isTrue();
    }

    @Test
    void callRedeliveredAfterTheConnectionDroppedMidCallRunsAsItsSecondAttemptAndSaysSo() throws Exception {
        FunctionVersionView function = deploy("redelivered", """
                import time
                def handler(event, context):
                    if context.attempt == 1:
                        time.sleep(6)
                    return {"attempt": context.attempt}
                """);
        UUID id = publish(function, "{}");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> INFRA.registry.runningAttempt.getOrDefault(id, 0) >= 1);

        // the consumers' connection drops: the broker puts the unacked message back, flagged as redelivered
        consumers.connectionFactory().resetConnection();

        InvocationCompleted reply = awaitReplies(List.of(id)).get(id);
        assertThat(reply.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(reply.result().path("attempt").intValue()).as("context.attempt of the second run").isEqualTo(2);
        assertThat(reply.attempt()).isEqualTo(2);
        assertThat(awaitCompleted(id).attempt()).as("the record's attempt").isEqualTo(2);
        // the first run goes on in its container until its sleep ends: no call in flight when the manager stops
        FunctionKey key = FunctionKey.of(function);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> pool.snapshot()
                .stream().noneMatch(c -> key.equals(c.function()) && c.calls() > 0));
    }

    private FunctionVersionView deploy(String name, String source) throws Exception {
        return INFRA.registry.deploy(name + "-" + suffix, 1, new LinkedHashMap<>(Map.of("function.py", source)),
                60_000, 128, 60_000, Map.of());
    }

    /** Publishes an asynchronous call without {@code reply_to}: its outcome is read from its record. */
    private UUID publishAsync(FunctionVersionView function) {
        return publishAsync(function, null);
    }

    /** Publishes an asynchronous call, answered to {@code replyTo} when not null. */
    private UUID publishAsync(FunctionVersionView function, String replyTo) {
        UUID id = UUID.randomUUID();
        InvokeFunction command = new InvokeFunction(id, function.functionName(), function.version(),
                json.readTree("{}"), Instant.now(), function.codeSha256(), InvocationMode.ASYNC, 1, null);
        rabbit.convertAndSend(Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_ROUTING_KEY, command, message -> {
            message.getMessageProperties().setCorrelationId(id.toString());
            message.getMessageProperties().setType(Topology.TYPE_INVOKE_FUNCTION);
            if (replyTo != null) {
                message.getMessageProperties().setReplyTo(replyTo);
            }
            return message;
        });
        return id;
    }

    /**
     * Waits until that attempt of the call runs (its running mark, and a busy container of the function not killed
     * before), then kills that container.
     */
    private void killItsContainerOnceAttemptRuns(FunctionVersionView function, UUID id, int attempt)
            throws Exception {
        FunctionKey key = FunctionKey.of(function);
        String container = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> INFRA.registry.runningAttempt.getOrDefault(id, 0) < attempt ? null
                        : pool.snapshot().stream()
                                .filter(c -> key.equals(c.function()) && c.state() instanceof ContainerState.Busy
                                        && !killed.contains(c.key()))
                                .map(ContainerSnapshot::key).findFirst().orElse(null), Objects::nonNull);
        killed.add(container);
        Thread.sleep(300); // busy from the lease on: let the call reach the runtime (it then sleeps for 30 s)
        var ids = ItInfrastructure.containers(Map.of(Labels.KEY, container));
        assertThat(ids).as("the container running attempt %d", attempt).hasSize(1);
        ItInfrastructure.run(Duration.ofSeconds(30), "docker", "kill", ids.getFirst());
    }

    private static InvocationCompleted awaitCompleted(UUID id) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> INFRA.registry.completed.get(id), Objects::nonNull);
    }
}

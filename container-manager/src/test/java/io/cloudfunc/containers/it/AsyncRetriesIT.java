package io.cloudfunc.containers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudfunc.containers.pool.Labels;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.cloudfunc.contracts.messaging.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Asynchronous calls that fail on the platform, with real containers: their container is killed from outside
 * ({@code docker kill}) during the call. The functions have no retries of their own ({@code maxRetries} 0).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class AsyncRetriesIT extends ManagerIT {

    static final ItInfrastructure INFRA = ItInfrastructure.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
        registry.add("containers.consumer.platform-retry-delay", () -> "200ms");
    }

    private final String suffix = UUID.randomUUID().toString().substring(0, 6);

    @Test
    void asyncCallWhoseContainerIsKilledRunsAgainThoughItsFunctionHasNoRetriesAndSucceeds() throws Exception {
        FunctionVersionView function = deploy("killed", """
                import time
                def handler(event, context):
                    if context.attempt == 1:
                        time.sleep(30)
                    return {"attempt": context.attempt}
                """);
        UUID id = publishAsync(function);

        killItsContainerOnceAttemptRuns(function, id, 1);

        InvocationCompleted completed = awaitCompleted(id);
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

    private FunctionVersionView deploy(String name, String source) throws Exception {
        return INFRA.registry.deploy(name + "-" + suffix, 1, new LinkedHashMap<>(Map.of("function.py", source)),
                60_000, 128, 60_000, Map.of());
    }

    /** Publishes an asynchronous call without {@code reply_to}: its outcome is read from its record. */
    private UUID publishAsync(FunctionVersionView function) {
        UUID id = UUID.randomUUID();
        InvokeFunction command = new InvokeFunction(id, function.functionName(), function.version(),
                json.readTree("{}"), Instant.now(), function.codeSha256(), InvocationMode.ASYNC, 1, null);
        rabbit.convertAndSend(Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_ROUTING_KEY, command, message -> {
            message.getMessageProperties().setCorrelationId(id.toString());
            message.getMessageProperties().setType(Topology.TYPE_INVOKE_FUNCTION);
            return message;
        });
        return id;
    }

    /** Waits until that attempt of the call runs (its running mark), then kills its function's containers. */
    private void killItsContainerOnceAttemptRuns(FunctionVersionView function, UUID id, int attempt)
            throws Exception {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> INFRA.registry.runningAttempt.getOrDefault(id, 0) >= attempt);
        var containers = ItInfrastructure.containers(Map.of(Labels.FUNCTION, function.functionName(),
                Labels.MANAGER, INFRA.node));
        assertThat(containers).as("the container running attempt %d", attempt).isNotEmpty();
        for (String container : containers) {
            ItInfrastructure.run(Duration.ofSeconds(30), false, "docker", "kill", container);
        }
    }

    private static InvocationCompleted awaitCompleted(UUID id) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> INFRA.registry.completed.get(id), Objects::nonNull);
    }
}

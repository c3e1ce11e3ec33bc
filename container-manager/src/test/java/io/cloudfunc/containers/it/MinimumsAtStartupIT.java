package io.cloudfunc.containers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudfunc.containers.pool.FunctionKey;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A manager that starts (or restarts) while a function with {@code minInstances} is deployed warms its minimum
 * without waiting for a call or a deploy: it asks the registry which functions keep instances at startup.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class MinimumsAtStartupIT extends ManagerIT {

    static final ItInfrastructure INFRA = ItInfrastructure.start();
    /** Deployed before the manager starts, as if it had been deployed while the manager was down. */
    static final FunctionVersionView KEPT;

    static {
        try {
            KEPT = INFRA.registry.deploy("kept-at-start-" + INFRA.suffix, 1, new LinkedHashMap<>(Map.of(
                    "function.py", "def handler(event):\n    return 'kept'\n")), 10_000, 128, 60_000, Map.of(), 2, 10,
                    1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
        registry.add("containers.pool.reaper-interval", () -> "100ms");
    }

    @Test
    void minimumOfAFunctionDeployedBeforeTheManagerStartedIsWarmedWithoutACall() throws Exception {
        FunctionKey key = FunctionKey.of(KEPT);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> pool.snapshot().stream()
                        .filter(c -> key.equals(c.function()) && "idle".equals(c.state().label())).count() == 2);

        InvocationCompleted call = calls().call(KEPT, "{}");

        assertThat(call.result().stringValue()).isEqualTo("kept");
        assertThat(call.startType()).isEqualTo(StartType.WARM);
    }
}

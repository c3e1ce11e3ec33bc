package io.cloudfunc.containers.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.containers.pool.FunctionKey;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The node's memory budget with real containers: 384 MB, i.e. three functions of 128 MB. A fourth evicts the least
 * recently used idle one; with every container busy, a call waits for the capacity wait and fails as the platform's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class EvictionIT extends ManagerIT {

    static final ItInfrastructure INFRA = ItInfrastructure.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
        registry.add("containers.pool.reaper-interval", () -> "100ms");
        registry.add("containers.pool.memory-budget", () -> "384MB");
        registry.add("containers.pool.capacity-wait", () -> "1s");
        registry.add("containers.consumer.concurrency", () -> "8");
    }

    private final String suffix = UUID.randomUUID().toString().substring(0, 6);

    @Test
    void fullBudgetEvictsTheLeastRecentlyUsedIdleContainerAndABusyFullNodeFailsTheCallClearly() throws Exception {
        List<FunctionVersionView> functions = new ArrayList<>();
        for (String name : List.of("first", "second", "third", "fourth")) {
            functions.add(deploy(name, """
                    import time
                    def handler(event):
                        time.sleep(event.get("sleep", 0))
                        return "ok"
                    """));
        }
        for (FunctionVersionView function : functions.subList(0, 3)) {
            assertThat(call(function, "{}").startType()).isEqualTo(StartType.COLD);
        }

        InvocationCompleted fourth = call(functions.get(3), "{}");

        assertThat(fourth.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(containersOf(functions.get(0))).as("least recently used, evicted").isZero();
        assertThat(containersOf(functions.get(1))).isEqualTo(1);
        assertThat(containersOf(functions.get(2))).isEqualTo(1);
        assertThat(containersOf(functions.get(3))).isEqualTo(1);

        // every container busy: nothing to evict, the call waits 1 s and fails as the platform's
        List<UUID> busy = new ArrayList<>();
        for (FunctionVersionView function : functions.subList(1, 4)) {
            busy.add(publish(function, "{\"sleep\":4}"));
        }
        Thread.sleep(500);
        UUID starved = publish(functions.get(0), "{}");
        InvocationCompleted failed = awaitReplies(List.of(starved)).get(starved);

        assertThat(failed.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(failed.errorKind()).isEqualTo(ErrorKind.PLATFORM);
        assertThat(failed.error().type()).isEqualTo("CapacityExhausted");
        assertThat(failed.error().message()).contains("memory budget (384 MB");
        assertThat(awaitReplies(busy).values()).extracting(InvocationCompleted::status)
                .containsOnly(InvocationStatus.SUCCEEDED);
    }

    private FunctionVersionView deploy(String name, String source) throws Exception {
        return INFRA.registry.deploy(name + "-" + suffix, 1, new LinkedHashMap<>(Map.of("function.py", source)),
                10_000, 128, 60_000, Map.of());
    }

    private int containersOf(FunctionVersionView function) {
        return (int) pool.snapshot().stream()
                .filter(c -> FunctionKey.of(function).equals(c.function()) && !"removing".equals(c.state().label()))
                .count();
    }
}

package io.cloudfunc.containers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudfunc.containers.pool.FunctionKey;
import io.cloudfunc.containers.pool.Labels;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What {@code docker logs cloudfunc-container-manager -f} shows a person trying a function (seed 001's "View
 * Function Output"): a line for the cold start, the container's start with Docker's id, each warm reuse and the idle
 * cleanup, each with the function's name; the payload only with {@code containers.log-payloads} on (it is off here).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class ManagerLogIT extends ManagerIT {

    static final ItInfrastructure INFRA = ItInfrastructure.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        INFRA.register(registry); // no prewarmed containers: the first call starts a new container
        registry.add("containers.pool.reaper-interval", () -> "100ms");
    }

    @Test
    void coldStartContainerStartWarmReuseAndIdleCleanupEachLogALineNamingTheFunction(CapturedOutput output)
            throws Exception {
        String name = "hello_fn_" + INFRA.suffix;
        FunctionVersionView hello = INFRA.registry.deploy(name, 1, new LinkedHashMap<>(Map.of("function.py",
                Files.readString(ItInfrastructure.exampleFunction()))), 10_000, 128, 2_000, Map.of());

        InvocationCompleted first = call(hello, "{\"name\":\"Alice\"}");
        InvocationCompleted second = call(hello, "{\"name\":\"Alice\"}");
        String key = pool.snapshot().stream().filter(c -> FunctionKey.of(hello).equals(c.function())).findFirst()
                .orElseThrow().key();
        String id = ItInfrastructure.containers(Map.of(Labels.KEY, key)).getFirst().substring(0, 12);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> output.getOut().contains("Idle cleanup: container " + id + " of " + name + " v1"));

        assertThat(first.startType()).isEqualTo(StartType.COLD);
        assertThat(second.startType()).isEqualTo(StartType.WARM);
        assertThat(output.getOut())
                .contains("Cold start for " + name + " v1: a new python container (removed after 2 s idle)")
                .contains("Container started: " + id + " for " + name + " v1 in ")
                .contains("Warm reuse for " + name + " v1: container " + id + "\n")
                .contains("Idle cleanup: container " + id + " of " + name + " v1 removed after 2 s idle")
                .doesNotContain("Alice");
    }
}

package io.cloudfunc.containers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudfunc.containers.pool.ContainerState;
import io.cloudfunc.containers.pool.FunctionKey;
import io.cloudfunc.containers.pool.Labels;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import java.nio.file.Path;
import java.time.Duration;
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
 * The Docker daemon restarted under a running manager (src/test/resources/restart-dockerd.sh stops the real dockerd
 * and starts it again): the containers it had die with it; the manager notices, drops them, and the next calls run
 * in new containers, with the prewarmed ones refilled. Runs in its own failsafe execution after every other
 * integration test of this module (see the pom), since it takes the engine away for a few seconds.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DockerRestartIT extends ManagerIT {

    static final ItInfrastructure INFRA = ItInfrastructure.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
        registry.add("containers.pool.reaper-interval", () -> "100ms");
        registry.add("containers.runtimes.python.prewarm-min", () -> "1");
        registry.add("containers.runtimes.python.prewarm-max", () -> "1");
    }

    private final String suffix = UUID.randomUUID().toString().substring(0, 6);

    @Test
    void afterTheDockerDaemonRestartsTheManagerDropsTheDeadContainersAndServesCallsInNewOnes() throws Exception {
        ItCalls calls = calls();
        FunctionVersionView hello = INFRA.registry.deploy("survivor-" + suffix, 1, new LinkedHashMap<>(Map.of(
                "function.py", "def handler(event):\n    return 'hi ' + event['name']\n")), 10_000, 128, 600_000,
                Map.of());
        FunctionKey key = FunctionKey.of(hello);
        assertThat(calls.call(hello, "{\"name\":\"before\"}").status()).isEqualTo(InvocationStatus.SUCCEEDED);
        awaitPrewarmed();
        List<String> before = ItInfrastructure.containers(Map.of(Labels.MANAGER, INFRA.node));
        assertThat(before).as("the function's container and a prewarmed one").hasSize(2);

        ItInfrastructure.Result restart = ItInfrastructure.run(Duration.ofMinutes(3), false, "bash",
                Path.of("src", "test", "resources", "restart-dockerd.sh").toAbsolutePath().toString());
        assertThat(restart.exitCode()).as(restart.output()).isZero();

        // the dead containers leave the pool (the reaper's Docker check, or their closed sockets)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> pool.snapshot().stream().noneMatch(c -> key.equals(c.function())
                        && !(c.state() instanceof ContainerState.Removing)));
        InvocationCompleted after = calls.call(hello, "{\"name\":\"after\"}");
        InvocationCompleted again = calls.call(hello, "{\"name\":\"again\"}");
        awaitPrewarmed();

        assertThat(after.status()).as(String.valueOf(after.error())).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(after.result().stringValue()).isEqualTo("hi after");
        assertThat(after.startType()).isIn(StartType.PREWARMED, StartType.COLD);
        assertThat(again.result().stringValue()).isEqualTo("hi again");
        assertThat(again.startType()).isEqualTo(StartType.WARM);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<String> now = ItInfrastructure.containers(Map.of(Labels.MANAGER, INFRA.node));
            assertThat(now).as("the old containers are removed").doesNotContainAnyElementsOf(before);
            assertThat(now).as("the function's new container and a new prewarmed one").hasSize(2);
            assertThat(pool.snapshot()).as("the pool holds what Docker has").hasSize(2);
        });
    }

    private void awaitPrewarmed() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> pool.snapshot().stream().anyMatch(c -> c.state() instanceof ContainerState.Prewarmed));
    }
}

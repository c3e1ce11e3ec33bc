package io.cloudfunc.scheduler.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.cloudfunc.contracts.node.SeenNode;
import io.cloudfunc.scheduler.registry.RegistryClient;
import io.cloudfunc.support.nodes.NodeDirectory;
import io.cloudfunc.support.problem.Problems;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RememberedNodesTests {

    private final RegistryClient registry = mock(RegistryClient.class);
    private final NodeDirectory directory = new NodeDirectory(Clock.systemUTC(), Duration.ofMillis(200));

    @Test
    void theNodesTheRegistrySawLatelyAreOutOnceANodeTimeoutPassed() throws Exception {
        AtomicReference<Instant> asked = new AtomicReference<>();
        when(registry.seenNodes(any())).thenAnswer(call -> {
            asked.set(call.getArgument(0));
            return List.of(new SeenNode("gone", Instant.now().minusSeconds(600)));
        });
        var remembered = new RememberedNodes(registry, directory, Duration.ofHours(24), Duration.ofMillis(50));
        remembered.start();
        try {
            awaitOut("gone");
        } finally {
            remembered.stop();
        }
        assertThat(asked.get()).isBetween(Instant.now().minus(Duration.ofHours(24)).minusSeconds(10),
                Instant.now().minus(Duration.ofHours(24)));
    }

    @Test
    void asksAgainWhileTheRegistryCannotBeReached() throws Exception {
        when(registry.seenNodes(any()))
                .thenThrow(Problems.platformError("function-registry", "The function-registry could not be reached."))
                .thenThrow(Problems.platformError("function-registry", "The function-registry could not be reached."))
                .thenReturn(List.of(new SeenNode("gone", Instant.now().minusSeconds(60))));
        var remembered = new RememberedNodes(registry, directory, Duration.ofHours(24), Duration.ofMillis(50));
        remembered.start();
        try {
            awaitOut("gone");
        } finally {
            remembered.stop();
        }
    }

    private void awaitOut(String node) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!directory.out().contains(node)) {
            assertThat(System.nanoTime()).as("%s out within 5 s", node).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}

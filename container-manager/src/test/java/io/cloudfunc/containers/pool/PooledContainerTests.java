package io.cloudfunc.containers.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PooledContainerTests {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void warmReuseLineIsDueAtMostOnceAnIntervalAndCountsTheCallsSinceTheLastOne() {
        PooledContainer container = new PooledContainer("k", "python", new FunctionKey("hello_fn", 1, "a"),
                Duration.ofSeconds(60), 1, 128, 0, new ContainerState.Idle(Instant.EPOCH));
        long t = 1_000_000L;

        assertThat(container.warmCallsToReport(t, SECOND)).as("the first warm call").isEqualTo(1);
        assertThat(container.warmCallsToReport(t + SECOND / 10, SECOND)).isZero();
        assertThat(container.warmCallsToReport(t + SECOND / 2, SECOND)).isZero();
        assertThat(container.warmCallsToReport(t + SECOND, SECOND)).as("a second later: the 3 calls since")
                .isEqualTo(3);
        assertThat(container.warmCallsToReport(t + 5 * SECOND, SECOND)).as("calls seconds apart: one line each")
                .isEqualTo(1);
    }
}

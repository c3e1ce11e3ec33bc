package io.cloudfunc.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class OpenLoopTests {

    @Test
    void callsAreSpacedByTheArrivalRate() {
        assertThat(OpenLoop.intendedOffsetNanos(0, 1_000)).isZero();
        assertThat(OpenLoop.intendedOffsetNanos(1, 1_000)).isEqualTo(1_000_000);
        assertThat(OpenLoop.intendedOffsetNanos(250, 500)).isEqualTo(500_000_000);
    }

    @Test
    void sendsRateTimesDurationCallsAndCountsFailures() throws Exception {
        AtomicInteger sent = new AtomicInteger();

        Latencies l = OpenLoop.run(1_000, Duration.ofMillis(200), 16,
                () -> CompletableFuture.completedFuture(sent.incrementAndGet() % 10 != 0));

        assertThat(sent.get()).isEqualTo(200);
        assertThat(l.count()).isEqualTo(180);
        assertThat(l.errors()).isEqualTo(20);
    }

    @Test
    void aCallThatThrowsIsAFailureNotACrash() throws Exception {
        Latencies l = OpenLoop.run(100, Duration.ofMillis(50), 4, () -> {
            throw new IllegalStateException("refused");
        });

        assertThat(l.count()).isZero();
        assertThat(l.errors()).isEqualTo(5);
    }
}

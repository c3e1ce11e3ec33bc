package io.cloudfunc.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ClosedLoopTests {

    @Test
    void recordsSuccessesAndFailuresOfEveryCaller() throws Exception {
        AtomicInteger calls = new AtomicInteger();

        Latencies l = ClosedLoop.run(4, Duration.ofMillis(100), () -> {
            Thread.sleep(1);
            return calls.incrementAndGet() % 2 == 0;
        });

        assertThat(l.count() + l.errors()).isEqualTo(calls.get());
        assertThat(l.count()).isPositive();
        assertThat(l.errors()).isPositive();
    }

    @Test
    void stopsACallerAfterAThousandFailuresInARow() throws Exception {
        AtomicInteger calls = new AtomicInteger();

        Latencies l = ClosedLoop.run(1, Duration.ofSeconds(30), () -> {
            calls.incrementAndGet();
            return false;
        });

        assertThat(calls.get()).isEqualTo(1_000);
        assertThat(l.count()).isZero();
    }
}

package io.cloudfunc.scheduler.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.trigger.TriggerDefinition;
import io.cloudfunc.contracts.trigger.TriggerKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TriggerMetricsTests {

    @Test
    void theInFlightGaugeStillReadsItsTriggerAfterAGarbageCollection() throws Exception {
        var registry = new SimpleMeterRegistry();
        var metrics = new TriggerMetrics(registry);
        var busy = new AtomicInteger(2);
        TriggerSource source = new TriggerSource() {
            @Override
            public void start(Consumer<TriggerMessage> handler) {
            }

            @Override
            public void deadLetter(String destination, TriggerMessage message, String error) {
            }

            @Override
            public void reply(TriggerMessage message, byte[] body, boolean failed) {
            }

            @Override
            public void close() {
            }
        };
        // as TriggerRunner does: a supplier nothing else holds
        metrics.register(new TriggerDefinition("f", "t", TriggerKind.RABBITMQ, "q", null, 4, null), source,
                () -> busy.get());

        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }

        assertThat(registry.get("cloudfunc.trigger.in.flight").tag("trigger", "t").gauge().value()).isEqualTo(2.0);
    }
}

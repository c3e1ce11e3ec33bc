package io.cloudfunc.contracts.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.invocation.InvocationMode;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class InvokeFunctionTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, Object> TICK = Map.of("kind", "schedule", "name", "nightly",
            "tick", "2026-12-07T21:05:00Z");

    @Test
    void aMessageWithoutTriggerStillReadsAsADirectCall() {
        InvokeFunction read = JSON.readValue("""
                {"invocationId":"0193a0b0-0000-7000-8000-000000000001","functionName":"hello","version":1,
                 "payload":{"name":"Alice"}}""", InvokeFunction.class);

        assertThat(read.trigger()).isNull();
        assertThat(read.attempt()).isEqualTo(1);
    }

    @Test
    void theTriggerTravelsThroughJsonAndEveryNextAttempt() {
        InvokeFunction tick = new InvokeFunction(UUID.randomUUID(), "report", 3, JSON.createObjectNode(),
                Instant.EPOCH, null, InvocationMode.ASYNC, 1, null, null, 0, TICK);

        InvokeFunction read = JSON.readValue(JSON.writeValueAsBytes(tick), InvokeFunction.class);

        assertThat(read.trigger()).isEqualTo(TICK);
        assertThat(read.nextAttempt().trigger()).isEqualTo(TICK);
        assertThat(read.platformRetry(1).trigger()).isEqualTo(TICK);
        assertThat(new InvokeFunction(tick.invocationId(), "report", 3, null, Instant.EPOCH, null)
                .withTrigger(TICK).trigger()).isEqualTo(TICK);
    }
}

package io.cloudfunc.scheduler.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.schedule.ScheduleTick;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TickPublisherTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final TickPublisher publisher = new TickPublisher(null, JSON);

    @Test
    void theEventIsTheSchedulesDataAndTheTickIsInTheTrigger() {
        ScheduleTick tick = tick(JSON.readTree("{\"report\":\"daily\"}"));

        assertThat(publisher.event(tick)).isEqualTo(JSON.readTree("{\"report\":\"daily\"}"));
        assertThat(JSON.valueToTree(TickPublisher.trigger(tick)).toString())
                .isEqualTo("{\"kind\":\"schedule\",\"name\":\"every-5m\",\"tick\":\"2026-12-07T21:05:00Z\"}");
    }

    @Test
    void aScheduleWithoutDataSendsAnEmptyObject() {
        assertThat(publisher.event(tick(null))).isEqualTo(JSON.createObjectNode());
    }

    private static ScheduleTick tick(JsonNode data) {
        return new ScheduleTick("report", 1, "sha", "every-5m", Instant.parse("2026-12-07T21:05:00Z"),
                UUID.randomUUID(), data);
    }
}

package io.cloudfunc.scheduler.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.trigger.TriggerDefinition;
import io.cloudfunc.contracts.trigger.TriggerKind;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TriggerRunnerTests {

    private final JsonMapper json = JsonMapper.builder().build();
    private final TriggerRunner runner = new TriggerRunner(
            new TriggerDefinition("f", "t", TriggerKind.RABBITMQ, "q", null, 1, null), null, null, null, json,
            "outcomes", Map.of(), null);

    @Test
    void aJsonBodyIsTheEventAsItIs() {
        assertThat(runner.event(message("{\"order\": 42}", "application/json")).toString())
                .isEqualTo("{\"order\":42}");
        assertThat(runner.event(message("[1,2]", null)).toString()).isEqualTo("[1,2]");
    }

    @Test
    void anyOtherBodyIsBase64WithItsContentType() {
        assertThat(runner.event(message("plain text", null)).toString())
                .isEqualTo("{\"base64\":\"cGxhaW4gdGV4dA==\",\"contentType\":\"application/octet-stream\"}");
        assertThat(runner.event(message("{\"a\":1}", "text/plain")).toString())
                .isEqualTo("{\"base64\":\"eyJhIjoxfQ==\",\"contentType\":\"text/plain\"}");
        assertThat(runner.event(message("", "application/json")).toString())
                .isEqualTo("{\"base64\":\"\",\"contentType\":\"application/json\"}");
    }

    private static TriggerMessage message(String body, String contentType) {
        return new TriggerMessage(body.getBytes(StandardCharsets.UTF_8), contentType, Map.of(), null, null, null);
    }
}

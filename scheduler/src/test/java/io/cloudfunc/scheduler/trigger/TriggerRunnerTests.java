package io.cloudfunc.scheduler.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.trigger.TriggerDefinition;
import io.cloudfunc.contracts.trigger.TriggerKind;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
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

    @Test
    void theTriggerNamesKindNameSourceAndHeaders() {
        Map<String, Object> trigger = runner.trigger(message("{}", null, Map.of("x-tenant", "acme", "b", "2")));

        assertThat(json.valueToTree(trigger).toString()).isEqualTo("{\"kind\":\"rabbitmq\",\"name\":\"t\","
                + "\"source\":\"q\",\"headers\":{\"b\":\"2\",\"x-tenant\":\"acme\"}}");
    }

    @Test
    void theTriggersHeadersAreBounded() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < TriggerRunner.MAX_HEADERS + 10; i++) {
            many.put("h%03d".formatted(i), "v");
        }
        many.put("h000", "x".repeat(TriggerRunner.MAX_HEADER_VALUE + 1));
        many.put("n".repeat(TriggerRunner.MAX_HEADER_NAME + 1), "too long a name");

        @SuppressWarnings("unchecked")
        var headers = (Map<String, String>) runner.trigger(message("{}", null, many)).get("headers");

        assertThat(headers).hasSize(TriggerRunner.MAX_HEADERS).doesNotContainKey("h064")
                .doesNotContainKey("n".repeat(TriggerRunner.MAX_HEADER_NAME + 1));
        assertThat(headers.get("h000")).hasSize(TriggerRunner.MAX_HEADER_VALUE);
    }

    private static TriggerMessage message(String body, String contentType) {
        return message(body, contentType, Map.of());
    }

    private static TriggerMessage message(String body, String contentType, Map<String, String> headers) {
        return new TriggerMessage(body.getBytes(StandardCharsets.UTF_8), contentType, headers, null, null, null);
    }
}

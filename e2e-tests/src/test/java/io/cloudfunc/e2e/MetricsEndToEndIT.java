package io.cloudfunc.e2e;

import static io.cloudfunc.e2e.Api.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /metrics} on the gateway, through the four services, the real PostgreSQL, RabbitMQ and Docker: the
 * invocations of a function over HTTP (sync and async) and from an outside AMQP producer are all counted, by status
 * and start type, with their durations; no key, no metrics.
 */
@ExtendWith(SharedPlatform.class)
class MetricsEndToEndIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String FUNCTION = "metered";

    private static Platform platform;

    @BeforeAll
    static void platform() {
        platform = SharedPlatform.get();
    }

    @Test
    void countsEveryInvocationWhateverItsSourceByStatusAndStartType() throws Exception {
        deployInline(FUNCTION, "def handler(event):\n    if event.get('fail'):\n        raise ValueError('no')\n"
                + "    return event\n");

        // one after the other, so that each has a warm container to go to but the first
        List<String> succeeded = new ArrayList<>();
        for (String event : new String[] {"{\"n\":1}", "{\"n\":2}"}) {
            succeeded.add(invocationId(post("/functions/" + FUNCTION + "/invoke", "application/json",
                    event.getBytes(StandardCharsets.UTF_8))));
        }
        var failed = post("/functions/" + FUNCTION + "/invoke", "application/json",
                "{\"fail\":true}".getBytes(StandardCharsets.UTF_8));
        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(502);
        var accepted = post("/functions/" + FUNCTION + "/invoke?async=true", "application/json",
                "{\"n\":3}".getBytes(StandardCharsets.UTF_8));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        succeeded.add(JSON.readTree(accepted.body()).path("invocationId").asString());
        awaitFinalRecord(succeeded.getLast());
        succeeded.add(publishAsAnOutsideProducer());
        Map<String, Integer> expected = new TreeMap<>();
        for (String id : succeeded) {
            JsonNode record = JSON.readTree(awaitFinalRecord(id));
            assertThat(record.path("status").asString()).as(record.toString()).isEqualTo("SUCCEEDED");
            expected.merge(record.path("startType").asString().toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
        String failedStart = JSON.readTree(awaitFinalRecord(failed.headers()
                .firstValue("X-CloudFunc-Invocation-Id").orElseThrow())).path("startType").asString()
                .toLowerCase(Locale.ROOT);

        String metrics = awaitMetrics(succeeded.size(), 1);

        for (var entry : expected.entrySet()) {
            assertThat(sample(metrics, "cloudfunc_function_invocations_total", entry.getKey(), "SUCCEEDED"))
                    .as("%s starts", entry.getKey()).isEqualTo(entry.getValue().doubleValue());
            assertThat(sample(metrics, "cloudfunc_function_duration_seconds_count", entry.getKey(), "SUCCEEDED"))
                    .isEqualTo(entry.getValue().doubleValue());
            assertThat(sample(metrics, "cloudfunc_function_duration_seconds_bucket", entry.getKey(), "SUCCEEDED",
                    ",le=\"+Inf\"")).isEqualTo(entry.getValue().doubleValue());
        }
        assertThat(expected.get("warm")).as("the calls after the first found its container warm").isNotNull();
        assertThat(sample(metrics, "cloudfunc_function_invocations_total", failedStart, "FAILED")).isEqualTo(1);
    }

    @Test
    void needsAKey() throws Exception {
        HttpResponse<String> response = sendAs(null, HttpRequest.newBuilder(uri("/metrics")).GET());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).doesNotContain("cloudfunc_function_invocations_total");
    }

    /** An {@code InvokeFunction} published straight to the invocations exchange, as docs/messaging.md shows. */
    private static String publishAsAnOutsideProducer() throws Exception {
        JsonNode function = JSON.readTree(get("/functions/" + FUNCTION).body());
        String id = UUID.randomUUID().toString();
        String message = "{\"invocationId\":\"" + id + "\",\"functionName\":\"" + FUNCTION + "\",\"version\":"
                + function.path("latestVersion").asInt() + ",\"payload\":{\"from\":\"amqp\"},\"acceptedAt\":\""
                + Instant.now() + "\"}";
        var factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setVirtualHost(platform.vhost);
        try (var connection = factory.newConnection(); var channel = connection.createChannel()) {
            channel.confirmSelect();
            var properties = new com.rabbitmq.client.AMQP.BasicProperties.Builder()
                    .contentType("application/json").deliveryMode(2).type("InvokeFunction").correlationId(id).build();
            channel.basicPublish("cloudfunc.invocations", "invoke", true, properties,
                    message.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
        }
        return id;
    }

    /**
     * The metrics once they count {@code succeeded} and {@code failed} calls of the function (the registry counts a
     * record right after storing it: a moment after it can be read).
     */
    private static String awaitMetrics(int succeeded, int failed) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        String metrics = "";
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = get("/metrics");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain"));
            metrics = response.body();
            if (total(metrics, "SUCCEEDED") == succeeded && total(metrics, "FAILED") == failed) {
                return metrics;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the metrics did not count " + succeeded + " succeeded and " + failed
                + " failed calls of " + FUNCTION + ":\n" + metrics);
    }

    private static double total(String metrics, String status) {
        Matcher matcher = Pattern.compile("(?m)^cloudfunc_function_invocations_total\\{function=\"" + FUNCTION
                + "\",start_type=\"\\w+\",status=\"" + status + "\"} (\\S+)$").matcher(metrics);
        double total = 0;
        while (matcher.find()) {
            total += Double.parseDouble(matcher.group(1));
        }
        return total;
    }

    private static double sample(String metrics, String name, String startType, String status) {
        return sample(metrics, name, startType, status, "");
    }

    /** One sample of the function's, by its name and labels ({@code more} after the status, e.g. a bucket's le). */
    private static double sample(String metrics, String name, String startType, String status, String more) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name + "{function=\"" + FUNCTION + "\",start_type=\""
                + startType + "\",status=\"" + status + "\"" + more + "}") + " (\\S+)$").matcher(metrics);
        assertThat(matcher.find()).as("%s of %s %s in%n%s", name, startType, status, metrics).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}

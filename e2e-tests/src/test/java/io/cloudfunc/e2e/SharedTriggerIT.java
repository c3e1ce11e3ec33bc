package io.cloudfunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two schedulers consuming one RabbitMQ queue trigger (issue 12): RabbitMQ hands each message to one of them, so each
 * message is invoked once; and the messages a scheduler held unacknowledged when it died go back to the queue and
 * are invoked by the other. The trigger's queue is in a vhost of its own, removed at the end.
 */
@ExtendWith(SharedPlatform.class)
class SharedTriggerIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String FUNCTION = "trig_shared";
    private static final String SECOND = "scheduler-trig";
    private static final String SOURCE = """
            import time

            def handler(event):
                time.sleep(event.get("sleep", 0))
                return event["job"]
            """;

    @Test
    void twoSchedulersInvokeEachMessageOnceAndADeadOnesMessagesGoToTheOther() throws Exception {
        Platform platform = SharedPlatform.get();
        String vhost = "cf_trig_shared_" + UUID.randomUUID().toString().substring(0, 8);
        String run = vhost.substring(vhost.length() - 8);
        Platform.run("rabbitmqctl", "-q", "add_vhost", vhost);
        Api.deployInline(FUNCTION, SOURCE);
        try {
            Platform.run("rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
            int second = platform.startInstance("scheduler", SECOND);
            int first = platform.schedulerPort;
            var factory = new ConnectionFactory();
            factory.setUri("amqp://guest:guest@127.0.0.1:5672/" + vhost);
            try (var connection = factory.newConnection(); var channel = connection.createChannel()) {
                channel.queueDeclare("jobs", true, false, false, null);
                var created = Api.post("/functions/" + FUNCTION + "/triggers", "application/json",
                        ("{\"name\":\"jobs\",\"kind\":\"rabbitmq\",\"source\":\"jobs\",\"concurrency\":2,"
                                + "\"url\":\"amqp://guest:guest@127.0.0.1:5672/" + vhost + "\"}")
                                .getBytes(StandardCharsets.UTF_8));
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                await("both schedulers consume the trigger", () -> metric(first, "in_flight") >= 0
                        && metric(second, "in_flight") >= 0);

                // both running: every message is invoked exactly once, and each scheduler took some
                int messages = 24;
                publish(channel, run + "-a-", messages, 0.1);
                await("every message of the first batch succeeded", () -> succeeded(run + "-a-") == messages);
                assertThat(invocationsPerJob(run + "-a-")).as("invocation records per message (job|count)")
                        .hasSize(messages).allMatch(row -> row.endsWith("|1"));
                assertThat(metric(first, "deliveries_total")).as("messages the first scheduler took").isPositive();
                assertThat(metric(second, "deliveries_total")).as("messages the second scheduler took").isPositive();

                // the second one dies (SIGKILL) with its two slots busy while messages still wait in the queue,
                // so that RabbitMQ has refilled its prefetch: those unacknowledged messages go back to the queue
                int later = 16;
                publish(channel, run + "-b-", later, 1.0);
                await("the second scheduler is busy while messages wait", () -> metric(second, "in_flight") == 2
                        && channel.queueDeclarePassive("jobs").getMessageCount() > 0);
                platform.kill(SECOND);
                platform.stop(SECOND);
                await("every message of the second batch succeeded, on the first scheduler",
                        () -> succeeded(run + "-b-") == later);
                // at least once: a message whose invocation was accepted just before the kill, unacknowledged,
                // may run twice; none is lost
                assertThat(invocationsPerJob(run + "-b-")).hasSize(later);
            } finally {
                Api.delete("/functions/" + FUNCTION + "/triggers/jobs");
            }
        } finally {
            platform.stop(SECOND);
            Api.delete("/functions/" + FUNCTION);
            Platform.run("rabbitmqctl", "-q", "delete_vhost", vhost);
        }
    }

    private static void publish(Channel channel, String prefix, int count, double sleepSeconds) throws Exception {
        for (int i = 0; i < count; i++) {
            channel.basicPublish("", "jobs", new AMQP.BasicProperties.Builder().contentType("application/json")
                    .deliveryMode(2).build(), ("{\"job\":\"" + prefix + i + "\",\"sleep\":" + sleepSeconds + "}")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Distinct jobs of the prefix with a succeeded invocation. */
    private static int succeeded(String prefix) throws Exception {
        return SharedPlatform.get().query("select distinct request->>'job' from invocations where function_name = '"
                + FUNCTION + "' and status = 'SUCCEEDED' and request->>'job' like '" + prefix + "%'").size();
    }

    /** Each job of the prefix with its number of invocation records, as {@code job|count}. */
    private static List<String> invocationsPerJob(String prefix) throws Exception {
        return SharedPlatform.get().query("select request->>'job', count(*) from invocations where function_name = '"
                + FUNCTION + "' and request->>'job' like '" + prefix + "%' group by 1");
    }

    /**
     * A scheduler's {@code cloudfunc_trigger_<name>} of this trigger; -1 while it has none (its consumer has not
     * started yet).
     */
    private static double metric(int port, String name) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build();
        String needle = "cloudfunc_trigger_" + name + "{";
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body().lines()
                .filter(l -> l.startsWith(needle) && l.contains("function=\"" + FUNCTION + "\"")
                        && l.contains("trigger=\"jobs\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            if (check.holds()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + ": not within " + WAIT);
    }
}

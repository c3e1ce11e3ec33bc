package io.cloudfunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ConnectionFactory;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Queue triggers end to end, against the real RabbitMQ (5672), Mosquitto (1883) and NATS with JetStream (4222) of
 * this machine: messages become invocations with the message as the event, a reply comes back where the message asks
 * for one, a failing call's message lands in the dead-letter destination, and the trigger's counts reach its view.
 * Each test uses a vhost, topic or stream of its own and removes it.
 */
@ExtendWith(SharedPlatform.class)
class QueueTriggersIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String FUNCTION = "trig_echo";
    private static final String SOURCE = """
            import time

            def handler(event):
                if isinstance(event, dict) and event.get("fail"):
                    raise ValueError("asked to fail")
                if isinstance(event, dict) and event.get("slow"):
                    time.sleep(0.2)
                return {"got": event}
            """;

    @BeforeAll
    static void deploy() throws Exception {
        Api.deployInline(FUNCTION, SOURCE);
    }

    @AfterAll
    static void remove() throws Exception {
        Api.delete("/functions/" + FUNCTION);
    }

    @Test
    void rabbitMqMessagesAreInvokedRepliedToAndDeadLettered() throws Exception {
        String vhost = "cf_trig_" + UUID.randomUUID().toString().substring(0, 8);
        rabbitmqctl("add_vhost", vhost);
        try {
            rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
            var factory = new ConnectionFactory();
            factory.setUri("amqp://guest:guest@127.0.0.1:5672/" + vhost);
            try (var connection = factory.newConnection(); var channel = connection.createChannel()) {
                channel.queueDeclare("orders", true, false, false, null);
                channel.queueDeclare("orders.dead", true, false, false, null);
                Api.CliRun created = Api.cli("trigger", "create", FUNCTION, "--rabbitmq", "orders", "--broker-url",
                        "amqp://guest:guest@127.0.0.1:5672/" + vhost, "--dead-letter", "orders.dead",
                        "--concurrency", "2", "--name", "orders");
                assertThat(created.exitCode()).as(created.err()).isZero();
                assertThat(created.out()).contains("Created trigger orders").contains("guest:***@")
                        .doesNotContain("guest:guest");
                awaitConsuming("orders");

                String replies = channel.queueDeclare().getQueue();
                var reply = new LinkedBlockingQueue<String>();
                channel.basicConsume(replies, true, (tag, delivery) -> reply.add(
                        delivery.getProperties().getCorrelationId() + " "
                                + new String(delivery.getBody(), StandardCharsets.UTF_8)), tag -> { });
                channel.basicPublish("", "orders", new AMQP.BasicProperties.Builder().contentType("application/json")
                        .replyTo(replies).correlationId("c-1").deliveryMode(2).build(),
                        "{\"order\":42}".getBytes(StandardCharsets.UTF_8));
                assertThat(reply.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("c-1 {\"got\":{\"order\":42}}");

                channel.basicPublish("", "orders", new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                        "{\"fail\":true}".getBytes(StandardCharsets.UTF_8));
                String dead = awaitMessage(() -> {
                    var got = channel.basicGet("orders.dead", true);
                    return got == null ? null : new String(got.getBody(), StandardCharsets.UTF_8) + " "
                            + got.getProps().getHeaders().get("x-cloudfunc-error");
                });
                assertThat(dead).isEqualTo("{\"fail\":true} ValueError: asked to fail");

                channel.basicPublish("", "orders", null, "plain text".getBytes(StandardCharsets.UTF_8));
                awaitInvocation("\"base64\":\"cGxhaW4gdGV4dA==\"");

                JsonNode view = awaitCounts("orders", 3, 1);
                assertThat(view.path("url").asString()).isEqualTo("amqp://guest:***@127.0.0.1:5672/" + vhost);
                assertThat(view.path("lastError").asString()).contains("asked to fail");
                Api.CliRun listed = Api.cli("trigger", "list", FUNCTION);
                assertThat(listed.out()).contains("orders").contains("guest:***@").doesNotContain("guest:guest");
                assertThat(Api.cli("trigger", "delete", FUNCTION, "orders").exitCode()).isZero();
                assertThat(Api.cli("trigger", "delete", FUNCTION, "orders").exitCode()).isEqualTo(3);
            }
        } finally {
            rabbitmqctl("delete_vhost", vhost);
        }
    }

    @Test
    void natsJetStreamAndCoreMessagesAreInvokedRepliedToAndDeadLettered() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String stream = "CF_E2E_" + id;
        try (Connection nats = Nats.connect("nats://127.0.0.1:4222")) {
            JetStreamManagement management = nats.jetStreamManagement();
            management.addStream(StreamConfiguration.builder().name(stream).subjects("cfe2e." + id + ".>")
                    .storageType(StorageType.Memory).build());
            try {
                create("{\"name\":\"stored\",\"kind\":\"nats\",\"source\":\"cfe2e." + id + ".in\","
                        + "\"url\":\"nats://127.0.0.1:4222\",\"deadLetter\":\"cfe2e." + id + ".dead\"}");
                create("{\"name\":\"core\",\"kind\":\"nats\",\"source\":\"cfcore." + id + "\"}");
                awaitConsuming("stored");
                awaitConsuming("core");

                var replies = new LinkedBlockingQueue<String>();
                String inbox = "cfe2e-replies." + id;
                nats.createDispatcher(m -> replies.add(new String(m.getData(), StandardCharsets.UTF_8)))
                        .subscribe(inbox);
                var dead = new LinkedBlockingQueue<String>();
                nats.createDispatcher(m -> dead.add(new String(m.getData(), StandardCharsets.UTF_8) + " "
                        + m.getHeaders().getFirst("X-CloudFunc-Error"))).subscribe("cfe2e." + id + ".dead");
                nats.jetStream().publish(NatsMessage.builder().subject("cfe2e." + id + ".in")
                        .headers(new Headers().put("Reply-To", inbox)).data("{\"n\":1}").build());
                assertThat(replies.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("{\"got\":{\"n\":1}}");
                nats.jetStream().publish("cfe2e." + id + ".in", "{\"fail\":true}".getBytes(StandardCharsets.UTF_8));
                assertThat(dead.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
                        .isEqualTo("{\"fail\":true} ValueError: asked to fail");

                // core NATS request/reply: the function's result is the answer
                var answer = nats.request("cfcore." + id, "{\"q\":\"ping\"}".getBytes(StandardCharsets.UTF_8),
                        WAIT);
                assertThat(new String(answer.getData(), StandardCharsets.UTF_8)).isEqualTo("{\"got\":{\"q\":\"ping\"}}");
                awaitCounts("stored", 2, 1);
            } finally {
                Api.delete("/functions/" + FUNCTION + "/triggers/stored");
                Api.delete("/functions/" + FUNCTION + "/triggers/core");
                management.deleteStream(stream);
            }
        }
    }

    @Test
    void mqttMessagesAreInvokedAndDeadLettered() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String topic = "cloudfunc-e2e/" + id;
        var client = new MqttClient("tcp://127.0.0.1:1883", "cf-e2e-" + id, new MemoryPersistence());
        client.connect(new MqttConnectOptions());
        try {
            var dead = new LinkedBlockingQueue<String>();
            client.subscribe(topic + "/dead", 1, (t, m) -> dead.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
            create("{\"name\":\"sensors\",\"kind\":\"mqtt\",\"source\":\"" + topic + "/+/in\",\"deadLetter\":\""
                    + topic + "/dead\",\"concurrency\":4}");
            awaitConsuming("sensors");
            client.publish(topic + "/s1/in", ("{\"temp\":21,\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8),
                    1, false);
            awaitInvocation("\"id\":\"" + id + "\"", "\"temp\":21");
            client.publish(topic + "/s2/in", "{\"fail\":true}".getBytes(StandardCharsets.UTF_8), 1, false);
            assertThat(dead.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("{\"fail\":true}");
            awaitCounts("sensors", 2, 1);
        } finally {
            Api.delete("/functions/" + FUNCTION + "/triggers/sensors");
            client.disconnect();
            client.close();
        }
    }

    /**
     * SIGKILL of the scheduler while a trigger's messages are being taken (some acknowledged, some held unacknowledged
     * by the dying consumer): after its restart every message has a succeeded invocation. Duplicates may happen (at
     * least once); a loss fails the test.
     */
    @Test
    void noMessageIsLostWhenTheSchedulerIsKilled() throws Exception {
        String vhost = "cf_trig_kill_" + UUID.randomUUID().toString().substring(0, 8);
        rabbitmqctl("add_vhost", vhost);
        Platform platform = SharedPlatform.get();
        try {
            rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
            var factory = new ConnectionFactory();
            factory.setUri("amqp://guest:guest@127.0.0.1:5672/" + vhost);
            try (var connection = factory.newConnection(); var channel = connection.createChannel()) {
                channel.queueDeclare("jobs", true, false, false, null);
                create("{\"name\":\"jobs\",\"kind\":\"rabbitmq\",\"source\":\"jobs\",\"concurrency\":2,"
                        + "\"url\":\"amqp://guest:guest@127.0.0.1:5672/" + vhost + "\"}");
                awaitConsuming("jobs");
                int messages = 30;
                String run = vhost.substring(vhost.length() - 8);
                for (int i = 0; i < messages; i++) {
                    channel.basicPublish("", "jobs", new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                            ("{\"slow\":true,\"job\":\"" + run + "-" + i + "\"}").getBytes(StandardCharsets.UTF_8));
                }
                // kill once some have run and others are still waiting
                Instant deadline = Instant.now().plus(WAIT);
                while (jobsDone(run) < 3 && Instant.now().isBefore(deadline)) {
                    Thread.sleep(50);
                }
                platform.kill("scheduler");
                assertThat(jobsDone(run)).as("killed mid-way").isLessThan(messages);
                platform.restart("scheduler");
                deadline = Instant.now().plus(Duration.ofSeconds(120));
                while (jobsDone(run) < messages && Instant.now().isBefore(deadline)) {
                    Thread.sleep(200);
                }
                assertThat(jobsDone(run)).as("distinct messages with a succeeded invocation").isEqualTo(messages);
            }
        } finally {
            Api.delete("/functions/" + FUNCTION + "/triggers/jobs");
            rabbitmqctl("delete_vhost", vhost);
        }
    }

    private static int jobsDone(String run) throws Exception {
        return SharedPlatform.get().query("select distinct request->>'job' from invocations where function_name = '"
                + FUNCTION + "' and status = 'SUCCEEDED' and request->>'job' like '" + run + "-%'").size();
    }

    @Test
    void badTriggersAreRefusedWithProblems() throws Exception {
        for (String body : List.of("{\"kind\":\"kafka\",\"source\":\"x\"}",
                "{\"kind\":\"rabbitmq\",\"source\":\"q\",\"url\":\"http://h/\"}",
                "{\"kind\":\"nats\",\"source\":\"a b\"}")) {
            var response = Api.post("/functions/" + FUNCTION + "/triggers", "application/json",
                    body.getBytes(StandardCharsets.UTF_8));
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        }
        var unknown = Api.post("/functions/no_such_fn/triggers", "application/json",
                "{\"kind\":\"rabbitmq\",\"source\":\"q\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("function-not-found");
        Api.CliRun bad = Api.cli("trigger", "create", FUNCTION, "--mqtt", "a/#/b");
        assertThat(bad.exitCode()).isEqualTo(4);
        assertThat(bad.err()).contains("# must be the last level");
    }

    private static void create(String body) throws Exception {
        var response = Api.post("/functions/" + FUNCTION + "/triggers", "application/json",
                body.getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    /** The scheduler shows the trigger's in-flight gauge once its consumer runs. */
    private static void awaitConsuming(String trigger) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + SharedPlatform.get().schedulerPort
                + "/actuator/prometheus")).build();
        String needle = "cloudfunc_trigger_in_flight{function=\"" + FUNCTION + "\"";
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            String metrics = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
            if (metrics.lines().anyMatch(l -> l.startsWith(needle) && l.contains("trigger=\"" + trigger + "\""))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the scheduler did not start consuming for trigger " + trigger);
    }

    /** An invocation of the function whose event (as PostgreSQL prints it) contains the fragments succeeded. */
    private static void awaitInvocation(String... fragments) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            for (String row : SharedPlatform.get().query("select request::text || '|' || status from invocations "
                    + "where function_name = '" + FUNCTION + "'")) {
                last = row;
                String compact = row.replace(" ", "");
                if (java.util.Arrays.stream(fragments).allMatch(compact::contains) && row.endsWith("|SUCCEEDED")) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no succeeded invocation with " + String.join(", ", fragments) + " (last: " + last
                + ")");
    }

    private static JsonNode awaitCounts(String trigger, long deliveries, long failures) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        JsonNode view = null;
        while (Instant.now().isBefore(deadline)) {
            view = JSON.readTree(Api.get("/functions/" + FUNCTION + "/triggers/" + trigger).body());
            if (view.path("deliveries").asLong() >= deliveries && view.path("failures").asLong() >= failures
                    && view.hasNonNull("lastDeliveryAt")) {
                return view;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("trigger " + trigger + " did not count " + deliveries + " deliveries and "
                + failures + " failures: " + view);
    }

    private interface Poll {
        String get() throws Exception;
    }

    private static String awaitMessage(Poll poll) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            String got = poll.get();
            if (got != null) {
                return got;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no message within " + WAIT);
    }

    private static void rabbitmqctl(String... args) throws Exception {
        var command = new java.util.ArrayList<>(List.of("rabbitmqctl", "-q"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " failed: " + output);
        }
    }
}

package io.cloudfunc.scheduler.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.MessageProperties;
import com.sun.net.httpserver.HttpServer;
import io.cloudfunc.contracts.invocation.AsyncInvocationAccepted;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.messaging.CallbackRequested;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.scheduler.support.FakeContainerManager;
import io.cloudfunc.scheduler.support.RunningScheduler;
import io.cloudfunc.scheduler.support.StubRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous calls through the scheduler against the real local RabbitMQ: accepted (202) once confirmed, the
 * message carries no reply_to, records are written in batches; and callbacks delivered from {@code cloudfunc.callbacks}
 * to a receiver on loopback.
 */
class AsyncInvocationIT {

    private static RunningScheduler running;
    private static StubRegistry registry;
    private static FakeContainerManager containerManager;
    private static URI base;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        running = RunningScheduler.start("cf_it_async", "--scheduler.callbacks.backoff=50ms", "--scheduler.callbacks.attempts=3");
        registry = running.registry;
        containerManager = running.containerManager;
        base = running.base;
        registry.put("later", 2, 2_000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void acceptsOnceConfirmedWithLocationAndAQueuedRecord() throws Exception {
        HttpResponse<String> response = post("/internal/functions/later/invoke?async=true&callbackUrl="
                + URLEncoder.encode("http://127.0.0.1:1/hook", StandardCharsets.UTF_8), "{\"n\":7}");

        assertThat(response.statusCode()).isEqualTo(202);
        var accepted = StubRegistry.JSON.readValue(response.body(), AsyncInvocationAccepted.class);
        assertThat(response.headers().firstValue("Location")).hasValue("/invocations/" + accepted.invocationId());
        assertThat(accepted.status()).isEqualTo(InvocationStatus.QUEUED);
        assertThat(accepted.version()).isEqualTo(2);
        assertThat(accepted.links()).containsEntry("self", "/invocations/" + accepted.invocationId());
        // the record was written before the answer
        assertThat(registry.created()).anySatisfy(created -> {
            assertThat(created.id()).isEqualTo(accepted.invocationId());
            assertThat(created.mode()).isEqualTo(InvocationMode.ASYNC);
            assertThat(created.request()).isEqualTo(StubRegistry.JSON.readTree("{\"n\":7}"));
        });
        FakeContainerManager.Delivery delivery = awaitDelivery(accepted.invocationId().toString());
        assertThat(delivery.properties().getReplyTo()).isNull();
        assertThat(delivery.properties().getDeliveryMode()).isEqualTo(2);
        assertThat(delivery.command().mode()).isEqualTo(InvocationMode.ASYNC);
        assertThat(delivery.command().attempt()).isEqualTo(1);
        assertThat(delivery.command().callbackUrl()).isEqualTo("http://127.0.0.1:1/hook");
    }

    @Test
    void concurrentCallsShareRecordBatches() throws Exception {
        int calls = 200;
        int batchesBefore = registry.batches();
        try (var pool = Executors.newFixedThreadPool(32)) {
            List<Future<HttpResponse<String>>> answers = new CopyOnWriteArrayList<>();
            for (int i = 0; i < calls; i++) {
                answers.add(pool.submit(() -> post("/internal/functions/later/invoke?async=true", "{}")));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
            }
        }
        assertThat(registry.batches() - batchesBefore).isBetween(1, calls);
        assertThat(registry.created().stream().filter(c -> c.mode() == InvocationMode.ASYNC).count())
                .isGreaterThanOrEqualTo(calls);
    }

    @Test
    void refusesCallbackUrlsThatAreNotHttp() throws Exception {
        for (String url : List.of("ftp://example.org/x", "/relative", "http://user:pw@127.0.0.1/x", "not a url")) {
            HttpResponse<String> response = post("/internal/functions/later/invoke?async=true&callbackUrl="
                    + URLEncoder.encode(url, StandardCharsets.UTF_8), "{}");
            assertThat(response.statusCode()).as(url).isEqualTo(400);
            assertThat(response.body()).contains("urn:cloudfunc:problem:invalid-request");
        }
    }

    @Test
    void unknownFunctionIsNotAccepted() throws Exception {
        HttpResponse<String> response = post("/internal/functions/nobody/invoke?async=true", "{}");
        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void deliversTheFinalRecordToTheCallbackAfterAFailedTry() throws Exception {
        UUID id = UUID.randomUUID();
        String record = "{\"id\":\"" + id + "\",\"status\":\"SUCCEEDED\",\"result\":42}";
        registry.putRecord(id, record);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        AtomicInteger tries = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int attempt = tries.incrementAndGet();
            if (attempt > 1) {
                received.add(exchange.getRequestHeaders().getFirst("X-CloudFunc-Invocation-Id") + " "
                        + new String(body, StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(attempt == 1 ? 503 : 204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            Channel channel = containerManager.connection().createChannel();
            AMQP.BasicProperties properties = MessageProperties.PERSISTENT_BASIC.builder()
                    .contentType("application/json").type(Topology.TYPE_CALLBACK_REQUESTED).build();
            channel.basicPublish(Topology.INVOCATIONS_EXCHANGE, Topology.CALLBACK_ROUTING_KEY, properties,
                    StubRegistry.JSON.writeValueAsBytes(new CallbackRequested(id, "later", url)));
            channel.close();

            assertThat(received.poll(20, TimeUnit.SECONDS)).isEqualTo(id + " " + record);
            assertThat(tries.get()).isEqualTo(2);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aReceiverThatDoesNotAnswerHoldsUpOnlyItsOwnCallbacks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<String> slowReceived = new LinkedBlockingQueue<>();
        BlockingQueue<String> fastReceived = new LinkedBlockingQueue<>();
        HttpServer slow = receiver(exchange -> {
            String id = exchange.getRequestHeaders().getFirst("X-CloudFunc-Invocation-Id");
            try {
                release.await(30, TimeUnit.SECONDS); // answers only when the test says so
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            slowReceived.add(id);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        HttpServer fast = receiver(exchange -> {
            fastReceived.add(exchange.getRequestHeaders().getFirst("X-CloudFunc-Invocation-Id"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        try {
            List<UUID> held = new ArrayList<>();
            for (int i = 0; i < 8; i++) { // more than a handful of consumers would have taken
                held.add(requestCallback(slow, "/slow"));
            }
            UUID quick = requestCallback(fast, "/fast");

            assertThat(fastReceived.poll(20, TimeUnit.SECONDS)).as("delivered while 8 others wait for answers")
                    .isEqualTo(quick.toString());
            assertThat(slowReceived).as("none of the slow ones has been answered yet").isEmpty();
            release.countDown();
            List<String> slowIds = new ArrayList<>();
            for (int i = 0; i < held.size(); i++) {
                slowIds.add(slowReceived.poll(20, TimeUnit.SECONDS));
            }
            assertThat(slowIds).containsExactlyInAnyOrderElementsOf(held.stream().map(UUID::toString).toList());
        } finally {
            release.countDown();
            slow.stop(0);
            fast.stop(0);
        }
    }

    /** A receiver on loopback that handles each request on a virtual thread of its own. */
    private static HttpServer receiver(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", handler);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }

    /** Publishes a CallbackRequested for a new invocation whose record the stub registry has; returns its id. */
    private static UUID requestCallback(HttpServer receiver, String path) throws Exception {
        UUID id = UUID.randomUUID();
        registry.putRecord(id, "{\"id\":\"" + id + "\",\"status\":\"SUCCEEDED\",\"result\":1}");
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
        Channel channel = containerManager.connection().createChannel();
        try {
            AMQP.BasicProperties properties = MessageProperties.PERSISTENT_BASIC.builder()
                    .contentType("application/json").type(Topology.TYPE_CALLBACK_REQUESTED).build();
            channel.basicPublish(Topology.INVOCATIONS_EXCHANGE, Topology.CALLBACK_ROUTING_KEY, properties,
                    StubRegistry.JSON.writeValueAsBytes(new CallbackRequested(id, "later", url)));
        } finally {
            channel.close();
        }
        return id;
    }

    private static FakeContainerManager.Delivery awaitDelivery(String id) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            var found = containerManager.deliveries().stream()
                    .filter(d -> d.command().invocationId().toString().equals(id)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no delivery of " + id);
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

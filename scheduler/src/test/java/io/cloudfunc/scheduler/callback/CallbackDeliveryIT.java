package io.cloudfunc.scheduler.callback;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.MessageProperties;
import com.sun.net.httpserver.HttpServer;
import io.cloudfunc.contracts.messaging.CallbackRequested;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.scheduler.support.FakeContainerManager;
import io.cloudfunc.scheduler.support.RunningScheduler;
import io.cloudfunc.scheduler.support.StubRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Callbacks delivered from {@code cloudfunc.callbacks} to receivers on loopback, by the scheduler against the real
 * local RabbitMQ and a stub registry.
 */
class CallbackDeliveryIT {

    private static RunningScheduler running;
    private static StubRegistry registry;
    private static FakeContainerManager containerManager;

    @BeforeAll
    static void start() throws Exception {
        running = RunningScheduler.start("cf_it_callback", "--scheduler.callbacks.backoff=50ms",
                "--scheduler.callbacks.attempts=3");
        registry = running.registry;
        containerManager = running.containerManager;
    }

    @AfterAll
    static void stop() throws Exception {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void waitsUntilTheRecordIsFinalBeforeDelivering() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        HttpServer hook = receiver(exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        try {
            UUID id = UUID.randomUUID();
            registry.putRecord(id, "{\"id\":\"" + id + "\",\"status\":\"QUEUED\"}");
            String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
            publishCallbackRequest(id, url);

            assertThat(received.poll(500, TimeUnit.MILLISECONDS)).as("nothing while the record is not final").isNull();
            String last = "{\"id\":\"" + id + "\",\"status\":\"SUCCEEDED\",\"result\":7}";
            registry.putRecord(id, last);
            assertThat(received.poll(20, TimeUnit.SECONDS)).isEqualTo(last);
        } finally {
            hook.stop(0);
        }
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
            publishCallbackRequest(id, url);

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
        publishCallbackRequest(id, "http://127.0.0.1:" + receiver.getAddress().getPort() + path);
        return id;
    }

    /** A CallbackRequested as the container-manager publishes it. */
    private static void publishCallbackRequest(UUID id, String url) throws Exception {
        Channel channel = containerManager.connection().createChannel();
        try {
            AMQP.BasicProperties properties = MessageProperties.PERSISTENT_BASIC.builder()
                    .contentType("application/json").type(Topology.TYPE_CALLBACK_REQUESTED).build();
            channel.basicPublish(Topology.INVOCATIONS_EXCHANGE, Topology.CALLBACK_ROUTING_KEY, properties,
                    StubRegistry.JSON.writeValueAsBytes(new CallbackRequested(id, "later", url)));
        } finally {
            channel.close();
        }
    }

}

package io.cloudfunc.containers.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.contracts.function.FunctionVersionView;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/** The version cache against a registry stand-in on loopback whose answers the tests change. */
class RegistryClientTests {

    private static final String SHA_OLD = "a".repeat(64);
    private static final String SHA_NEW = "b".repeat(64);

    private final JsonMapper json = JsonMapper.builder().build();
    /** What the registry has for hello v1 right now. */
    private final AtomicReference<String> currentSha = new AtomicReference<>(SHA_OLD);
    private final AtomicInteger loads = new AtomicInteger();
    /** When set, a version request waits on it after reading the registry's state: a slow answer. */
    private volatile CountDownLatch gate;
    private final CountDownLatch requestStarted = new CountDownLatch(1);
    private HttpServer server;
    private RegistryClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/internal/functions/hello/versions/1", this::version);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        var properties = new ContainerManagerProperties(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null, null, null, null, 0, null, null,
                null, null, null, null, null, null, null, false, null);
        client = new RegistryClient(RestClient.builder(), properties, json);
    }

    @AfterEach
    void stop() throws IOException {
        server.stop(0);
        client.destroy();
    }

    @Test
    void cachedVersionIsReusedWhileItsCodeIsTheCodeAskedFor() {
        client.version("hello", 1, SHA_OLD);
        FunctionVersionView again = client.version("hello", 1, SHA_OLD);
        FunctionVersionView anyCode = client.version("hello", 1, null);

        assertThat(again.codeSha256()).isEqualTo(SHA_OLD);
        assertThat(anyCode.codeSha256()).isEqualTo(SHA_OLD);
        assertThat(loads).hasValue(1);
    }

    @Test
    void versionWithOtherCodeThanCachedIsLoadedAgain() {
        client.version("hello", 1, SHA_OLD);
        currentSha.set(SHA_NEW); // deleted and deployed again: v1 is new code, and the DELETED event was lost

        FunctionVersionView reloaded = client.version("hello", 1, SHA_NEW);
        FunctionVersionView withoutDigest = client.version("hello", 1, null);

        assertThat(reloaded.codeSha256()).isEqualTo(SHA_NEW);
        assertThat(withoutDigest.codeSha256()).isEqualTo(SHA_NEW);
        assertThat(loads).hasValue(2);
    }

    @Test
    void versionWhoseCodeIsStillOtherAfterReloadingFailsAsReplaced() {
        client.version("hello", 1, SHA_OLD);
        currentSha.set(SHA_NEW);

        // A call sent for the old code, after the function was replaced: it must not run the new code.
        assertThatThrownBy(() -> client.version("hello", 1, SHA_OLD.replace('a', 'c')))
                .isInstanceOf(FunctionReplacedException.class)
                .hasMessageContaining("hello v1 was replaced");
        assertThatThrownBy(() -> client.version("hello", 1, SHA_OLD))
                .isInstanceOf(FunctionReplacedException.class);
        assertThat(client.version("hello", 1, null).codeSha256()).isEqualTo(SHA_NEW);
    }

    @Test
    void evictionDuringALoadIsNotUndoneByWhatTheLoadBringsBack() throws Exception {
        gate = new CountDownLatch(1);
        // Reads the old code, then waits: meanwhile the function is deleted (evicted) and deployed again.
        CompletableFuture<FunctionVersionView> slow = CompletableFuture.supplyAsync(() -> client.version("hello", 1,
                null), Executors.newVirtualThreadPerTaskExecutor());
        assertThat(requestStarted.await(5, TimeUnit.SECONDS)).isTrue();
        currentSha.set(SHA_NEW);
        client.evict("hello");
        gate.countDown();
        FunctionVersionView stale = slow.get(5, TimeUnit.SECONDS);
        gate = null;

        FunctionVersionView next = client.version("hello", 1, null);

        assertThat(stale.codeSha256()).isEqualTo(SHA_OLD); // what that load saw, for that call
        assertThat(next.codeSha256()).as("the stale load must not have been cached").isEqualTo(SHA_NEW);
    }

    private void version(HttpExchange exchange) throws IOException {
        try (exchange) {
            loads.incrementAndGet();
            String sha = currentSha.get();
            requestStarted.countDown();
            CountDownLatch waitFor = gate;
            if (waitFor != null) {
                waitFor.await(5, TimeUnit.SECONDS);
            }
            byte[] body = json.writeValueAsBytes(new FunctionVersionView("hello", 1, "python", "function.handler",
                    1000, 128, 60_000, Map.of(), 0, 10, 1, "none", null, null, 0, 1000L, sha, 10, Instant.EPOCH, java.util.List.of()));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.cloudfunc.support.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against servers on loopback. */
class PooledHttpClientsTests {

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void readsTheWholeAnswerWithItsStatusAndContentType() throws Exception {
        Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        startServer(0, clientPorts);

        try (CloseableHttpClient http = PooledHttpClients.create(settings(null, true))) {
            BufferedResponse first = BufferedResponse.execute(http, new HttpGet(url()));
            BufferedResponse second = BufferedResponse.execute(http, new HttpGet(url()));

            assertThat(first.status()).isEqualTo(404);
            assertThat(first.contentType()).isEqualTo("application/problem+json");
            assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("{\"status\":404}");
            assertThat(first.isProblem()).isTrue();
            assertThat(first.isSuccess()).isFalse();
            assertThat(second.status()).isEqualTo(404);
        }
        assertThat(clientPorts).as("the second call reuses the kept-alive connection").hasSize(1);
    }

    @Test
    void givesUpWhenTheAnswerTakesLongerThanTheReadTimeout() throws Exception {
        startServer(3_000, ConcurrentHashMap.newKeySet());

        try (CloseableHttpClient http = PooledHttpClients.create(settings(Duration.ofMillis(200), true))) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> BufferedResponse.execute(http, new HttpGet(url())))
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void resendsAnIdempotentRequestOnceWhenTheConnectionDropsIfAllowed() throws Exception {
        assertThat(connectionsForAGetThatIsNeverAnswered(true)).isEqualTo(2);
    }

    @Test
    void neverResendsARequestWhenRetriesAreOff() throws Exception {
        assertThat(connectionsForAGetThatIsNeverAnswered(false)).isEqualTo(1);
    }

    @Test
    void rejectsAPoolSmallerPerHostThanItsWhole() {
        assertThatThrownBy(() -> new PooledHttpClientSettings(4, 8, Duration.ofSeconds(1), null, null,
                Duration.ofSeconds(20), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A server that reads each request and closes the connection without a word. */
    private static int connectionsForAGetThatIsNeverAnswered(boolean retries) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            silent.setSoTimeout(5_000);
            AtomicInteger accepted = new AtomicInteger();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                while (accepted.get() < 3) {
                    try (Socket socket = silent.accept()) {
                        accepted.incrementAndGet();
                        readHead(socket.getInputStream());
                    } catch (IOException stop) {
                        return;
                    }
                }
            });
            try (CloseableHttpClient http = PooledHttpClients.create(settings(Duration.ofSeconds(2), retries))) {
                assertThatThrownBy(() -> BufferedResponse.execute(http,
                        new HttpGet("http://127.0.0.1:" + silent.getLocalPort() + "/")))
                        .isInstanceOf(IOException.class);
            }
            silent.close();
            acceptor.join(5_000);
            return accepted.get();
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b = in.read(); b >= 0; b = in.read()) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == end.length) {
                return;
            }
        }
    }

    private static PooledHttpClientSettings settings(Duration readTimeout, boolean retries) {
        return new PooledHttpClientSettings(4, 4, Duration.ofSeconds(1), readTimeout, readTimeout,
                Duration.ofSeconds(20), retries);
    }

    /** Answers every request with a small 404 problem after {@code delayMillis}; counts client ports. */
    private void startServer(long delayMillis, Set<Integer> clientPorts) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"status\":404}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }
}

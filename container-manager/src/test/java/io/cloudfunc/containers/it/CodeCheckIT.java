package io.cloudfunc.containers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudfunc.containers.pool.ContainerState;
import io.cloudfunc.contracts.function.CodeCheckResult;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code POST /internal/code-checks} against the real Docker engine: a prewarmed container loads the code, answers
 * with the runtime's own error or ready, and is removed afterwards, never serving anything else.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class CodeCheckIT extends ManagerIT {

    static final ItInfrastructure INFRA = ItInfrastructure.start();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
        registry.add("containers.runtimes.python.prewarm-min", () -> "1");
        registry.add("containers.runtimes.python.prewarm-max", () -> "1");
        registry.add("containers.runtimes.node.prewarm-min", () -> "0");
        registry.add("containers.runtimes.node.prewarm-max", () -> "0");
        registry.add("containers.runtimes.java.prewarm-min", () -> "0");
        registry.add("containers.runtimes.java.prewarm-max", () -> "0");
    }

    @LocalServerPort
    int port;

    @Test
    void aPrewarmedContainerLoadsTheCodeAndIsRemovedAfterwards() throws Exception {
        String prewarmed = awaitPrewarmed();

        long start = System.nanoTime();
        CodeCheckResult good = check("def handler(event):\n    return 1\n", Map.of());
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(good.ready()).isTrue();
        assertThat(good.error()).isNull();
        System.out.println("code check with a prewarmed container: " + millis + " ms");
        assertThat(millis).as("a prewarmed container, not a cold start").isLessThan(250);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(pool.snapshot()).noneMatch(c -> c.key().equals(prewarmed)));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(ItInfrastructure.containers(Map.of("io.cloudfunc.key", prewarmed))).isEmpty());
        assertThat(pool.snapshot()).noneMatch(c -> c.function() != null && c.function().version() < 0);
    }

    @Test
    void theRuntimesOwnErrorComesBackAndTheEnvIsSetBeforeLoading() throws Exception {
        awaitPrewarmed();
        CodeCheckResult missing = check("def other(event):\n    return 1\n", Map.of());
        assertThat(missing.ready()).isFalse();
        assertThat(missing.error().type()).isEqualTo("HandlerNotFound");
        assertThat(missing.error().message()).isEqualTo("module 'function' has no function 'handler'");

        awaitPrewarmed();
        CodeCheckResult needsEnv = check("import os\nTOKEN = os.environ['TOKEN']\n"
                + "def handler(event):\n    return TOKEN\n", Map.of("TOKEN", "s3cret"));
        assertThat(needsEnv.ready()).as(String.valueOf(needsEnv.error())).isTrue();

        CodeCheckResult raises = check("raise ImportError('no numpy here')\ndef handler(event):\n    return 1\n",
                Map.of());
        assertThat(raises.ready()).isFalse();
        assertThat(raises.error().type()).isEqualTo("ImportError");
        assertThat(raises.error().message()).isEqualTo("no numpy here");
        assertThat(raises.error().trace()).anyMatch(line -> line.contains("function.py"));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(pool.snapshot()).noneMatch(c -> c.function() != null && c.function().version() < 0));
    }

    private String awaitPrewarmed() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> pool.snapshot().stream().anyMatch(c -> "python".equals(c.runtime())
                        && c.state() instanceof ContainerState.Prewarmed));
        return pool.snapshot().stream().filter(c -> "python".equals(c.runtime())
                && c.state() instanceof ContainerState.Prewarmed).findFirst().orElseThrow().key();
    }

    private CodeCheckResult check(String source, Map<String, String> env) throws Exception {
        byte[] zip = StubRegistry.zip(Map.of("function.py", source));
        String boundary = "it-" + UUID.randomUUID();
        var body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
                + "Content-Type: application/json\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(json.writeValueAsBytes(Map.of("runtime", "python", "handler", "function.handler",
                "memoryMb", 128, "env", env)));
        body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"code\"; "
                + "filename=\"code.zip\"\r\nContent-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(zip);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/internal/code-checks?function=checked"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return json.readValue(response.body(), CodeCheckResult.class);
    }
}

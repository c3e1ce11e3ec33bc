package io.cloudfunc.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.support.testing.RabbitVhost;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway on a random port in front of stub registry and scheduler HTTP servers on loopback and a stand-in for
 * the schedulers' intake queue on a RabbitMQ vhost of its own. Limits are made
 * small so that the 413 paths are cheap to reach. Subclasses share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.max-archive-size=64KB",
        "gateway.max-event-size=1KB",
        "gateway.max-inline-code-size=8KB",
        "gateway.multipart.max-metadata-size=16KB",
        "gateway.multipart.file-size-threshold=4KB",
        "gateway.max-image-size=64KB"})
public abstract class GatewayIntegrationTest {

    protected static final StubService REGISTRY = new StubService();
    protected static final StubService SCHEDULER = new StubService();
    protected static final StubService MANAGER = new StubService();
    /** A RabbitMQ vhost of this test JVM's, removed when it exits, and the stand-in for the schedulers on it. */
    protected static final RabbitVhost VHOST = RabbitVhost.create("cf_it_gateway");
    protected static final StubIntake INTAKE = new StubIntake(VHOST.name());

    /** What the registry and a container-manager answer to the gateway's readiness checks while they are up. */
    public static final StubService.Answer HEALTH_UP = StubService.Answer.json(200, "{\"status\":\"UP\"}");

    static {
        REGISTRY.answer("GET", "/actuator/health", HEALTH_UP);
        MANAGER.answer("GET", "/actuator/health", HEALTH_UP);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            INTAKE.close();
            VHOST.close();
        }));
    }
    protected static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Keys the stub registry knows, one per role; requests send the admin key unless a test says otherwise. */
    protected static final TestKey ADMIN = TestKey.register(REGISTRY, "admin", null);
    protected static final TestKey DEVELOPER = TestKey.register(REGISTRY, "developer", null);
    protected static final TestKey INVOKER = TestKey.register(REGISTRY, "invoker", null);

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        registry.add("gateway.registry-url", () -> REGISTRY.url().toString());
        registry.add("gateway.scheduler-url", () -> SCHEDULER.url().toString());
        registry.add("gateway.container-manager-urls", () -> MANAGER.url().toString());
        registry.add("spring.rabbitmq.host", () -> "127.0.0.1");
        registry.add("spring.rabbitmq.virtual-host", VHOST::name);
    }

    protected HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A request with the admin key. */
    protected HttpRequest.Builder request(String path) {
        return request(path, ADMIN);
    }

    /** A request with {@code key}, or with no Authorization header when it is null. */
    protected HttpRequest.Builder request(String path, TestKey key) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        return key == null ? request : request.header("Authorization", "Bearer " + key.secret());
    }

    protected HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    protected HttpResponse<byte[]> post(String path, String contentType, byte[] body)
            throws IOException, InterruptedException {
        var request = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request);
    }

    protected static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Asserts an RFC 9457 answer with the given status and CloudFunc type, and returns it. */
    protected static JsonNode assertProblem(HttpResponse<byte[]> response, int status, String type) {
        assertThat(response.statusCode()).as(text(response)).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("type").asString()).isEqualTo("urn:cloudfunc:problem:" + type);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asString()).isNotBlank();
        assertThat(problem.path("detail").asString()).isNotBlank().doesNotContain("Exception");
        assertThat(text(response)).doesNotContain("trace\":\"").doesNotContain("at io.cloudfunc");
        return problem;
    }
}

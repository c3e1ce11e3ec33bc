package io.cloudfunc.registry.function;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.function.FunctionView;
import io.cloudfunc.contracts.messaging.FunctionChanged;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.registry.RegistryIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.json.JsonMapper;

/** The function API end to end: HTTP in, PostgreSQL and RabbitMQ behind. */
class FunctionApiIT extends RegistryIntegrationTest {

    private static final MediaType ZIP = MediaType.parseMediaType("application/zip");
    private static final String PACKAGE_HANDLER_SOURCE = "def run(event, context):\n    return 'pkg'\n";

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private AmqpAdmin amqpAdmin;
    @Autowired
    private RabbitTemplate rabbit;
    @Autowired
    private JsonMapper jsonMapper;

    @Test
    void deploysNewFunctionThenNewVersionWithUpdatedConfig() {
        FunctionView first = deployed("{\"name\":\"greeter\",\"env\":{\"GREETING\":\"hi\"}}", Zips.helloFunction());

        assertThat(first.name()).isEqualTo("greeter");
        assertThat(first.latestVersion()).isEqualTo(1);
        assertThat(first.runtime()).isEqualTo("python");
        assertThat(first.handler()).isEqualTo("function.handler");
        assertThat(first.timeoutMs()).isEqualTo(30_000);
        assertThat(first.memoryMb()).isEqualTo(128);
        assertThat(first.idleTtlMs()).isEqualTo(60_000);
        assertThat(first.env()).isEqualTo(Map.of("GREETING", "hi"));
        assertThat(first.codeSha256()).isEqualTo(FunctionService.sha256(Zips.helloFunction()));
        assertThat(first.codeSize()).isEqualTo(Zips.helloFunction().length);

        byte[] packaged = Zips.zip(Map.of("pkg/mod.py", PACKAGE_HANDLER_SOURCE));
        FunctionView second = deployed(
                "{\"name\":\"greeter\",\"handler\":\"pkg.mod.run\",\"timeoutMs\":5000,\"memoryMb\":256}", packaged);

        assertThat(second.latestVersion()).isEqualTo(2);
        assertThat(second.handler()).isEqualTo("pkg.mod.run");
        assertThat(second.timeoutMs()).isEqualTo(5_000);
        assertThat(second.memoryMb()).isEqualTo(256);
        assertThat(second.env()).isEmpty();
        assertThat(second.codeSha256()).isEqualTo(FunctionService.sha256(packaged));
        assertThat(second.createdAt()).isEqualTo(first.createdAt());
        assertThat(second.updatedAt()).isAfter(first.updatedAt());
        assertThat(get("greeter")).isEqualTo(second);
    }

    @Test
    void storesScalingIsolationAndRetrySettingsWithEachVersion() {
        deployed("{\"name\":\"scaled\",\"minInstances\":1,\"maxInstances\":3,\"concurrency\":2,"
                + "\"network\":\"outbound\",\"ociRuntime\":\"runsc\",\"maxRetries\":2,\"retryBackoffMs\":500}",
                Zips.helloFunction());
        FunctionView second = deployed("{\"name\":\"scaled\"}", Zips.helloFunction());

        FunctionVersionView v1 = http.get().uri("/internal/functions/scaled/versions/1").exchange()
                .expectStatus().isOk().expectBody(FunctionVersionView.class).returnResult().getResponseBody();
        assertThat(v1).extracting(FunctionVersionView::minInstances, FunctionVersionView::maxInstances,
                        FunctionVersionView::concurrency, FunctionVersionView::network, FunctionVersionView::ociRuntime,
                        FunctionVersionView::maxRetries, FunctionVersionView::retryBackoffMs)
                .containsExactly(1, 3, 2, "outbound", "runsc", 2, 500L);
        assertThat(second).extracting(FunctionView::minInstances, FunctionView::maxInstances,
                        FunctionView::concurrency, FunctionView::network, FunctionView::ociRuntime)
                .containsExactly(0, 10, 1, "none", null);
    }

    @Test
    void keepsEachVersionWithItsOwnConfigAndCode() {
        byte[] v1Code = Zips.helloFunction();
        byte[] v2Code = Zips.zip(Map.of("pkg/mod.py", PACKAGE_HANDLER_SOURCE, "pkg/data.txt", "more"));
        deployed("{\"name\":\"versioned\",\"timeoutMs\":1000}", v1Code);
        deployed("{\"name\":\"versioned\",\"handler\":\"pkg.mod.run\"}", v2Code);

        FunctionVersionView v1 = http.get().uri("/internal/functions/versioned/versions/1").exchange()
                .expectStatus().isOk().expectBody(FunctionVersionView.class).returnResult().getResponseBody();
        assertThat(v1.functionName()).isEqualTo("versioned");
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v1.handler()).isEqualTo("function.handler");
        assertThat(v1.timeoutMs()).isEqualTo(1000);
        assertThat(v1.codeSha256()).isEqualTo(FunctionService.sha256(v1Code));
        assertThat(v1.codeSize()).isEqualTo(v1Code.length);

        for (int version = 1; version <= 2; version++) {
            byte[] expected = version == 1 ? v1Code : v2Code;
            byte[] downloaded = http.get().uri("/internal/functions/versioned/versions/{v}/code", version).exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentType(ZIP)
                    .expectHeader().valueEquals(HttpHeaders.ETAG, "\"" + FunctionService.sha256(expected) + "\"")
                    .expectBody(byte[].class).returnResult().getResponseBody();
            assertThat(FunctionService.sha256(downloaded)).isEqualTo(FunctionService.sha256(expected));
        }
    }

    @Test
    void listsFunctionsSortedByName() {
        deployed("{\"name\":\"list-c\"}", Zips.helloFunction());
        deployed("{\"name\":\"list-a\"}", Zips.helloFunction());
        deployed("{\"name\":\"list-b\"}", Zips.helloFunction());

        List<FunctionView> all = http.get().uri("/internal/functions").exchange()
                .expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<FunctionView>>() {
                }).returnResult().getResponseBody();

        List<String> names = all.stream().map(FunctionView::name).toList();
        assertThat(names).isSorted().contains("list-a", "list-b", "list-c");
    }

    @Test
    void deleteRemovesFunctionAndItsVersions() {
        deployed("{\"name\":\"doomed\"}", Zips.helloFunction());
        deployed("{\"name\":\"doomed\"}", Zips.helloFunction());
        deployed("{\"name\":\"survivor\"}", Zips.helloFunction());
        long versionsBefore = countVersions();

        http.delete().uri("/internal/functions/doomed").exchange().expectStatus().isNoContent();

        assertThat(countVersions()).isEqualTo(versionsBefore - 2);
        assertProblem(http.get().uri("/internal/functions/doomed").exchange(), 404, ProblemTypes.FUNCTION_NOT_FOUND)
                .jsonPath("$.functionName").isEqualTo("doomed");
        assertProblem(http.get().uri("/internal/functions/doomed/versions/1/code").exchange(), 404,
                ProblemTypes.FUNCTION_NOT_FOUND);
        assertProblem(http.delete().uri("/internal/functions/doomed").exchange(), 404,
                ProblemTypes.FUNCTION_NOT_FOUND);
        assertThat(get("survivor").latestVersion()).isEqualTo(1);
    }

    @Test
    void publishesFunctionChangedAfterDeployAndDelete() {
        Queue events = bindEventQueue();

        deployed("{\"name\":\"announced\"}", Zips.helloFunction());
        deployed("{\"name\":\"announced\"}", Zips.helloFunction());
        FunctionVersionView v2 = http.get().uri("/internal/functions/announced/versions/2").exchange()
                .expectStatus().isOk().expectBody(FunctionVersionView.class).returnResult().getResponseBody();
        http.delete().uri("/internal/functions/announced").exchange().expectStatus().isNoContent();

        FunctionChanged first = nextEvent(events);
        FunctionChanged second = nextEvent(events);
        assertThat(first).isEqualTo(new FunctionChanged("announced", FunctionChanged.Change.DEPLOYED, 1,
                first.latest()));
        assertThat(second).isEqualTo(new FunctionChanged("announced", FunctionChanged.Change.DEPLOYED, 2,
                second.latest()));
        // a deploy's event carries the new version as the internal API gives it
        assertThat(first.deployedVersion()).isNotNull();
        assertThat(second.deployedVersion()).isNotNull().isEqualTo(v2);
        assertThat(nextEvent(events)).isEqualTo(
                new FunctionChanged("announced", FunctionChanged.Change.DELETED, 0));
    }

    @Test
    void rejectsInvalidNameAndStoresNothing() {
        Queue events = bindEventQueue();
        long versionsBefore = countVersions();

        assertProblem(deploy("{\"name\":\"Not_Valid\"}", Zips.helloFunction()), 400, ProblemTypes.INVALID_REQUEST)
                .jsonPath("$.functionName").isEqualTo("Not_Valid");

        assertThat(countVersions()).isEqualTo(versionsBefore);
        assertThat(jdbc.queryForObject("select count(*) from functions where name = 'Not_Valid'", Long.class))
                .isZero();
        assertThat(rabbit.receive(events.getName(), 500)).isNull();
    }

    @Test
    void rejectsZipWithPathTraversalAndStoresNothing() {
        byte[] zip = Zips.zip(Map.of("function.py", Zips.HANDLER_SOURCE, "../../etc/evil.sh", "rm -rf /"));

        assertProblem(deploy("{\"name\":\"traversal\"}", zip), 400, ProblemTypes.INVALID_ARCHIVE)
                .jsonPath("$.detail").isEqualTo("archive entry '../../etc/evil.sh' escapes the archive root with '..'")
                .jsonPath("$.entry").isEqualTo("../../etc/evil.sh");

        assertNotStored("traversal");
    }

    @Test
    void rejectsArchiveWithoutHandlerFileAndStoresNothing() {
        assertProblem(deploy("{\"name\":\"no-handler\"}", Zips.zip(Map.of("main.py", Zips.HANDLER_SOURCE))),
                400, ProblemTypes.INVALID_ARCHIVE)
                .jsonPath("$.detail").isEqualTo("handler file function.py not found in archive");

        assertNotStored("no-handler");
    }

    @Test
    void rejectedRedeployLeavesExistingFunctionUnchanged() {
        FunctionView existing = deployed("{\"name\":\"stable\"}", Zips.helloFunction());
        long versionsBefore = countVersions();

        assertProblem(deploy("{\"name\":\"stable\",\"handler\":\"pkg.mod.run\"}", Zips.helloFunction()), 400,
                ProblemTypes.INVALID_ARCHIVE)
                .jsonPath("$.detail").isEqualTo("handler file pkg/mod.py not found in archive");

        assertThat(get("stable")).isEqualTo(existing);
        assertThat(countVersions()).isEqualTo(versionsBefore);
    }

    @Test
    void rejectsUploadThatIsNotAZip() {
        byte[] source = Zips.HANDLER_SOURCE.getBytes(StandardCharsets.UTF_8);

        assertProblem(deploy("{\"name\":\"not-zip\"}", source), 400, ProblemTypes.INVALID_ARCHIVE)
                .jsonPath("$.detail").isEqualTo("the code archive is not a zip file");

        assertNotStored("not-zip");
    }

    @Test
    void rejectsUnsupportedRuntime() {
        assertProblem(deploy("{\"name\":\"cobol-fn\",\"runtime\":\"cobol\"}", Zips.helloFunction()), 400,
                ProblemTypes.UNSUPPORTED_RUNTIME)
                .jsonPath("$.runtime").isEqualTo("cobol");

        assertNotStored("cobol-fn");
    }

    @Test
    void rejectsArchiveLargerThanLimitWith413() {
        byte[] large = new byte[3 * 1024 * 1024 / 2];
        new Random(42).nextBytes(large);

        assertProblem(deploy("{\"name\":\"too-large\"}", large), 413, ProblemTypes.PAYLOAD_TOO_LARGE)
                .jsonPath("$.detail").isEqualTo("the upload is larger than the code archive limit of 1MB");

        assertNotStored("too-large");
    }

    @Test
    void rejectsZipBombWith413() {
        byte[] bomb = Zips.bomb(3 * 1024 * 1024);
        assertThat(bomb.length).isLessThan(64 * 1024);

        assertProblem(deploy("{\"name\":\"bomb\"}", bomb), 413, ProblemTypes.PAYLOAD_TOO_LARGE)
                .jsonPath("$.detail").isEqualTo("the code archive unpacks to more than the limit of 2MB");

        assertNotStored("bomb");
    }

    @Test
    void rejectsMalformedMetadata() {
        assertProblem(deploy("{\"name\":", Zips.helloFunction()), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(deploy("{\"name\":\"typed\",\"timeoutMs\":\"soon\"}", Zips.helloFunction()), 400,
                ProblemTypes.INVALID_REQUEST)
                .jsonPath("$.detail").isEqualTo("the metadata part is not valid: invalid value at 'timeoutMs'.");

        assertNotStored("typed");
    }

    @Test
    void rejectsDeployWithoutCodePart() {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("metadata", part("{\"name\":\"codeless\"}", MediaType.APPLICATION_JSON, null));

        assertProblem(http.post().uri("/internal/functions").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(parts).exchange(), 400, ProblemTypes.INVALID_REQUEST);

        assertNotStored("codeless");
    }

    @Test
    void acceptsMetadataAsPlainTextPart() {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("metadata", "{\"name\":\"plain-text\"}");
        parts.add("code", part(Zips.helloFunction(), ZIP, "code.zip"));

        http.post().uri("/internal/functions").contentType(MediaType.MULTIPART_FORM_DATA).body(parts)
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().location("/internal/functions/plain-text");
        assertThat(get("plain-text").latestVersion()).isEqualTo(1);
    }

    @Test
    void answersNotFoundProblemsForUnknownFunctionAndVersion() {
        assertProblem(http.get().uri("/internal/functions/ghost").exchange(), 404, ProblemTypes.FUNCTION_NOT_FOUND)
                .jsonPath("$.functionName").isEqualTo("ghost");
        deployed("{\"name\":\"one-version\"}", Zips.helloFunction());
        assertProblem(http.get().uri("/internal/functions/one-version/versions/2").exchange(), 404,
                ProblemTypes.FUNCTION_NOT_FOUND)
                .jsonPath("$.version").isEqualTo(2);
        assertProblem(http.get().uri("/internal/functions/one-version/versions/2/code").accept(ZIP).exchange(), 404,
                ProblemTypes.FUNCTION_NOT_FOUND);
        assertProblem(http.get().uri("/internal/functions/one-version/versions/not_a_ref").exchange(), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(http.get().uri("/internal/functions/one-version/versions/prod").exchange(), 404,
                ProblemTypes.ALIAS_NOT_FOUND);
    }

    @Test
    void answersProblemsForUnknownPathWrongMethodAndWrongContentType() {
        assertProblem(http.get().uri("/no/such/path").exchange(), 404, ProblemTypes.NOT_FOUND);
        assertProblem(http.method(HttpMethod.PATCH).uri("/internal/functions").exchange(), 405,
                ProblemTypes.METHOD_NOT_ALLOWED);
        assertProblem(http.post().uri("/internal/functions").contentType(MediaType.APPLICATION_JSON)
                .body("{\"name\":\"json-deploy\"}").exchange(), 415, ProblemTypes.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void numbersConcurrentFirstDeploysOfOneNameConsecutively() throws Exception {
        int deploys = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> versions = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < deploys; i++) {
                versions.add(pool.submit(() -> {
                    start.await();
                    return deployed("{\"name\":\"contested\"}", Zips.helloFunction()).latestVersion();
                }));
            }
            start.countDown();
            List<Integer> numbers = new ArrayList<>();
            for (Future<Integer> version : versions) {
                numbers.add(version.get(30, TimeUnit.SECONDS));
            }
            assertThat(numbers).containsExactlyInAnyOrder(1, 2, 3, 4);
        }
        assertThat(get("contested").latestVersion()).isEqualTo(deploys);
    }

    @Test
    void exposesHealth() {
        http.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void imageFunctionDeploysWithoutCodeAndStoresAnEmptyArchive() {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("metadata", part("{\"name\":\"resize\",\"runtime\":\"image\",\"image\":\"myorg/resize:1.0\"}",
                MediaType.APPLICATION_JSON, null));
        FunctionView view = http.post().uri("/internal/functions").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(parts).exchange()
                .expectStatus().isCreated().expectBody(FunctionView.class).returnResult().getResponseBody();

        assertThat(view.runtime()).isEqualTo("image");
        assertThat(view.image()).isEqualTo("myorg/resize:1.0");
        assertThat(view.codeSize()).isEqualTo(FunctionService.EMPTY_ZIP.length);
        byte[] code = http.get().uri("/internal/functions/resize/versions/1/code").exchange()
                .expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(code).isEqualTo(FunctionService.EMPTY_ZIP);
    }

    @Test
    void pythonFunctionWithoutCodeIsRefused() {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("metadata", part("{\"name\":\"nocode\",\"runtime\":\"python\"}", MediaType.APPLICATION_JSON,
                null));

        assertProblem(http.post().uri("/internal/functions").contentType(MediaType.MULTIPART_FORM_DATA).body(parts)
                .exchange(), 400, ProblemTypes.INVALID_REQUEST);
        assertNotStored("nocode");
    }

    @Test
    void aDryRunChecksTheDeployAndStoresNothing() {
        MultiValueMap<String, Object> good = new LinkedMultiValueMap<>();
        good.add("metadata", part("{\"name\":\"dry\",\"runtime\":\"python\"}", MediaType.APPLICATION_JSON, null));
        good.add("code", part(Zips.helloFunction(), ZIP, "code.zip"));
        http.post().uri("/internal/functions?dryRun=true").contentType(MediaType.MULTIPART_FORM_DATA).body(good)
                .exchange().expectStatus().isNoContent();
        assertNotStored("dry");

        MultiValueMap<String, Object> noModule = new LinkedMultiValueMap<>();
        noModule.add("metadata", part("{\"name\":\"dry\",\"runtime\":\"python\",\"handler\":\"app.main\"}",
                MediaType.APPLICATION_JSON, null));
        noModule.add("code", part(Zips.helloFunction(), ZIP, "code.zip"));
        assertProblem(http.post().uri("/internal/functions?dryRun=true").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(noModule).exchange(), 400, ProblemTypes.INVALID_ARCHIVE);
        assertNotStored("dry");
    }

    private RestTestClient.ResponseSpec deploy(String metadata, byte[] code) {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("metadata", part(metadata, MediaType.APPLICATION_JSON, null));
        parts.add("code", part(code, ZIP, "code.zip"));
        return http.post().uri("/internal/functions").contentType(MediaType.MULTIPART_FORM_DATA).body(parts)
                .exchange();
    }

    private static HttpEntity<Object> part(Object body, MediaType contentType, String filename) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(contentType);
        if (filename != null) {
            headers.setContentDispositionFormData("code", filename);
        }
        return new HttpEntity<>(body, headers);
    }

    private FunctionView deployed(String metadata, byte[] code) {
        return deploy(metadata, code).expectStatus().isCreated()
                .expectBody(FunctionView.class).returnResult().getResponseBody();
    }

    private FunctionView get(String name) {
        return http.get().uri("/internal/functions/{name}", name).exchange()
                .expectStatus().isOk().expectBody(FunctionView.class).returnResult().getResponseBody();
    }

    private long countVersions() {
        return jdbc.queryForObject("select count(*) from function_versions", Long.class);
    }

    private void assertNotStored(String name) {
        assertProblem(http.get().uri("/internal/functions/{name}", name).exchange(), 404,
                ProblemTypes.FUNCTION_NOT_FOUND);
        assertThat(jdbc.queryForObject("select count(*) from functions where name = ?", Long.class, name)).isZero();
    }

    /**
     * A queue of this test's own, bound like the scheduler's and container-manager's event queues. Not auto-delete,
     * since each receive subscribes and cancels; the class's vhost goes, with its queues, after the class.
     */
    private Queue bindEventQueue() {
        Queue queue = QueueBuilder.nonDurable(new AnonymousQueue().getName()).build();
        amqpAdmin.declareQueue(queue);
        amqpAdmin.declareBinding(BindingBuilder.bind(queue).to(new TopicExchange(Topology.EVENTS_EXCHANGE))
                .with(Topology.FUNCTION_CHANGED_ROUTING_KEY));
        return queue;
    }

    private FunctionChanged nextEvent(Queue queue) {
        Message message = rabbit.receive(queue.getName(), 5_000);
        assertThat(message).as("FunctionChanged message").isNotNull();
        assertThat(message.getMessageProperties().getContentType()).isEqualTo(MediaType.APPLICATION_JSON_VALUE);
        assertThat(message.getMessageProperties().getType()).isEqualTo(Topology.TYPE_FUNCTION_CHANGED);
        return jsonMapper.readValue(message.getBody(), FunctionChanged.class);
    }
}

package io.cloudfunc.gateway.function;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import io.cloudfunc.gateway.support.Multipart;
import io.cloudfunc.gateway.support.StubService.Answer;
import io.cloudfunc.gateway.support.Zips;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Deploys and updates in seed 002's shape (a {@code config} block) beside the native fields. */
class SeedShapeIT extends GatewayIntegrationTest {

    private static final String VIEW = "{\"name\":\"%s\",\"runtime\":\"python\",\"handler\":\"function.handle\","
            + "\"timeoutMs\":30000,\"memoryMb\":128,\"idleTtlMs\":60000,\"env\":{},\"latestVersion\":1,"
            + "\"codeSha256\":\"abc\",\"codeSize\":120,\"createdAt\":\"2026-01-01T00:00:00Z\","
            + "\"updatedAt\":\"2026-01-01T00:00:00Z\"}";
    /** Seed 002's "Create Function" body, with dependencies left empty. */
    private static final String SEED_BODY = """
            {
              "name": "my-function",
              "code": "def handle(request):\\n    return {'result': 'success'}",
              "config": {
                "execution_mode": "process",
                "timeout": 30,
                "memory": "256Mi",
                "cpu_limit": "100m",
                "dependencies": [],
                "environment": {"API_KEY": "secret"},
                "min_instances": 0,
                "max_instances": 10
              }
            }
            """;

    @Test
    void seed002sCreateBodyReachesTheRegistryAsNativeFields() throws Exception {
        REGISTRY.answer("POST", "/internal/functions", Answer.json(201, VIEW.formatted("my-function")));

        HttpResponse<byte[]> response = postJson("/functions", SEED_BODY);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        var parts = forwardedDeploy();
        JsonNode metadata = JSON.readTree(parts.get("metadata").content());
        assertThat(metadata.path("runtime").asString()).isEqualTo("python");
        assertThat(metadata.path("handler").asString()).isEqualTo("function.handle");
        assertThat(metadata.path("timeoutMs").asLong()).isEqualTo(30_000);
        assertThat(metadata.path("memoryMb").asInt()).isEqualTo(256);
        assertThat(metadata.path("cpuMillis").asInt()).isEqualTo(100);
        assertThat(metadata.path("env").path("API_KEY").asString()).isEqualTo("secret");
        assertThat(metadata.path("minInstances").asInt()).isZero();
        assertThat(metadata.path("maxInstances").asInt()).isEqualTo(10);
        assertThat(metadata.has("config")).isFalse();
        assertThat(Zips.entries(parts.get("code").content())).containsExactly(
                Map.entry("function.py", "def handle(request):\n    return {'result': 'success'}"));
    }

    @Test
    void nativeFieldsKeepWorkingWithACpuLimitAndTheHandlersOwnDefault() throws Exception {
        REGISTRY.answer("POST", "/internal/functions", Answer.json(201, VIEW.formatted("native-cpu")));

        HttpResponse<byte[]> response = postJson("/functions", """
                {"name":"native-cpu","runtime":"python","cpuMillis":500,"memoryMb":64,
                 "code":"def handler(event):\\n    return 1\\n"}
                """);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        JsonNode metadata = JSON.readTree(forwardedDeploy().get("metadata").content());
        assertThat(metadata.path("cpuMillis").asInt()).isEqualTo(500);
        assertThat(metadata.path("memoryMb").asInt()).isEqualTo(64);
        // no handler given: the registry's default (function.handler), not seed 002's handle
        assertThat(metadata.path("handler").isString()).isFalse();
    }

    @Test
    void withoutARuntimeCodeDefiningHandlerIsPythonWithTheUsualHandler() throws Exception {
        REGISTRY.answer("POST", "/internal/functions", Answer.json(201, VIEW.formatted("plain")));

        HttpResponse<byte[]> response = postJson("/functions",
                "{\"name\":\"plain\",\"code\":\"def handle(x):\\n    pass\\ndef handler(event):\\n    return 1\\n\"}");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        JsonNode metadata = JSON.readTree(forwardedDeploy().get("metadata").content());
        assertThat(metadata.path("runtime").asString()).isEqualTo("python");
        assertThat(metadata.path("handler").isString()).isFalse();
    }

    @Test
    void aSettingGivenBothWaysIsRefusedNamingTheConfigMember() throws Exception {
        int before = REGISTRY.received("POST", "/internal/functions").size();
        Map<String, String> both = Map.of(
                "\"timeoutMs\":1000,\"config\":{\"timeout\":1}", "config.timeout",
                "\"memoryMb\":128,\"config\":{\"memory\":\"128Mi\"}", "config.memory",
                "\"cpuMillis\":100,\"config\":{\"cpu_limit\":\"100m\"}", "config.cpu_limit",
                "\"env\":{\"A\":\"1\"},\"config\":{\"environment\":{\"B\":\"2\"}}", "config.environment",
                "\"minInstances\":0,\"config\":{\"min_instances\":1}", "config.min_instances",
                "\"maxInstances\":2,\"config\":{\"max_instances\":3}", "config.max_instances");

        for (var body : both.entrySet()) {
            JsonNode problem = assertProblem(postJson("/functions",
                    "{\"name\":\"mixed\",\"code\":\"def handle(r):\\n    return 1\\n\"," + body.getKey() + "}"),
                    400, "invalid-request");
            assertThat(problem.path("field").asString()).isEqualTo(body.getValue());
            assertThat(problem.path("detail").asString()).contains("'" + body.getValue() + "'")
                    .contains("give one of them");
        }
        assertThat(REGISTRY.received("POST", "/internal/functions")).hasSize(before);
    }

    @Test
    void invalidConfigValuesAreRefusedNamingTheMember() throws Exception {
        int before = REGISTRY.received("POST", "/internal/functions").size();
        Map<String, String> invalid = Map.ofEntries(
                Map.entry("{\"memory\":\"128m\"}", "config.memory"),
                Map.entry("{\"memory\":128}", "config.memory"),
                Map.entry("{\"memory\":\"0Mi\"}", "config.memory"),
                Map.entry("{\"cpu_limit\":\"fast\"}", "config.cpu_limit"),
                Map.entry("{\"cpu_limit\":\"0.0001\"}", "config.cpu_limit"),
                Map.entry("{\"timeout\":0}", "config.timeout"),
                Map.entry("{\"timeout\":0.0005}", "config.timeout"),
                Map.entry("{\"timeout\":\"30\"}", "config.timeout"),
                Map.entry("{\"execution_mode\":\"thread\"}", "config.execution_mode"),
                Map.entry("{\"min_instances\":-1}", "config.min_instances"),
                Map.entry("{\"max_instances\":0}", "config.max_instances"),
                Map.entry("{\"environment\":{\"A\":1}}", "config.environment.A"),
                Map.entry("{\"dependencies\":[\" \"]}", "config.dependencies"),
                Map.entry("{\"replicas\":2}", "config.replicas"));

        for (var config : invalid.entrySet()) {
            JsonNode problem = assertProblem(postJson("/functions",
                    "{\"name\":\"bad\",\"code\":\"def handle(r):\\n    return 1\\n\",\"config\":" + config.getKey()
                            + "}"), 400, "invalid-request");
            assertThat(problem.path("field").asString()).as(config.getKey()).isEqualTo(config.getValue());
            assertThat(problem.path("detail").asString()).as(config.getKey()).contains(config.getValue());
        }
        JsonNode dependencies = assertProblem(postJson("/functions", "{\"name\":\"deps\",\"code\":\"x = 1\","
                + "\"config\":{\"dependencies\":[\"requests==2.28.0\", \"\"]}}"), 400, "invalid-request");
        assertThat(dependencies.path("detail").asString())
                .startsWith("Each of 'config.dependencies' is a package requirement");
        assertThat(REGISTRY.received("POST", "/internal/functions")).hasSize(before);
    }

    @Test
    void processModeIsRefusedBesideASettingThatRulesOutAPrewarmedStart() throws Exception {
        JsonNode problem = assertProblem(postJson("/functions", "{\"name\":\"online\",\"runtime\":\"python\","
                + "\"network\":\"outbound\",\"code\":\"x = 1\",\"config\":{\"execution_mode\":\"process\"}}"),
                400, "invalid-request");

        assertThat(problem.path("field").asString()).isEqualTo("config.execution_mode");
        assertThat(problem.path("detail").asString()).contains("network 'outbound'").contains("'container'");
    }

    @Test
    void seed002sUpdateBodyIsANewVersionWithThatCodeAndItsConfig() throws Exception {
        REGISTRY.answer("GET", "/internal/functions/my-update", Answer.json(200, VIEW.formatted("my-update")));
        REGISTRY.answer("PUT", "/internal/functions/my-update", Answer.json(200, VIEW.formatted("my-update")));
        String code = "def handle(request):\n    return {'result': 'updated'}";

        HttpResponse<byte[]> response = put("/functions/my-update",
                JSON.writeValueAsString(Map.of("code", code, "config", Map.of("timeout", 60))));

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        var forwarded = REGISTRY.last("PUT", "/internal/functions/my-update");
        var parts = Multipart.parse(forwarded.contentType(), forwarded.body());
        // the latest version's handler is function.handle: the code is function.py
        assertThat(Zips.entries(parts.get("code").content())).containsExactly(Map.entry("function.py", code));
        JsonNode changes = JSON.readTree(parts.get("metadata").content());
        assertThat(changes.path("timeoutMs").asLong()).isEqualTo(60_000);
        assertThat(changes.has("config")).isFalse();
    }

    @Test
    void aConfigurationUpdateMayGiveItsSettingsInAConfigBlock() throws Exception {
        REGISTRY.answer("PUT", "/internal/functions/resized", Answer.json(200, VIEW.formatted("resized")));

        HttpResponse<byte[]> response = put("/functions/resized",
                "{\"config\":{\"memory\":\"1Gi\",\"cpu_limit\":\"1.5\"}}");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        JsonNode changes = JSON.readTree(REGISTRY.last("PUT", "/internal/functions/resized").body());
        assertThat(changes.path("memoryMb").asInt()).isEqualTo(1024);
        assertThat(changes.path("cpuMillis").asInt()).isEqualTo(1500);
        assertThat(changes.path("timeoutMs").isNumber()).isFalse();
        JsonNode mixed = assertProblem(put("/functions/resized", "{\"cpuMillis\":200,\"config\":{\"cpu_limit\":"
                + "\"200m\"}}"), 400, "invalid-request");
        assertThat(mixed.path("field").asString()).isEqualTo("config.cpu_limit");
    }

    private HttpResponse<byte[]> postJson(String path, String json) throws Exception {
        return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<byte[]> put(String path, String json) throws Exception {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static Map<String, Multipart.Part> forwardedDeploy() {
        var last = REGISTRY.last("POST", "/internal/functions");
        return Multipart.parse(last.contentType(), last.body());
    }
}

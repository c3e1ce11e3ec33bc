package io.cloudfunc.e2e;

import static io.cloudfunc.e2e.Api.cli;
import static io.cloudfunc.e2e.Api.get;
import static io.cloudfunc.e2e.Api.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 002's function API as its reader would type it (its bodies, {@code Authorization: Bearer}), through the whole
 * platform: the config block means what the seed says, and the CPU limit reaches the function's container.
 */
@ExtendWith(SharedPlatform.class)
class SeedConfigIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Seed 002's "Create Function" body, word for word (its dependencies included). */
    private static final String SEED_CREATE = """
            {
              "name": "my-function",
              "code": "def handle(request):\\n    return {'result': 'success'}",
              "config": {
                "execution_mode": "process",
                "timeout": 30,
                "memory": "256Mi",
                "cpu_limit": "100m",
                "dependencies": ["requests==2.28.0"],
                "environment": {"API_KEY": "secret"},
                "min_instances": 0,
                "max_instances": 10
              }
            }
            """;
    /** Seed 002's "Update Function" body, word for word. */
    private static final String SEED_UPDATE = """
            {
              "code": "def handle(request):\\n    return {'result': 'updated'}",
              "config": {
                "timeout": 60
              }
            }
            """;

    @Test
    void seed002sCreateBodyDeploysWhatItSaysAndItsUpdateIsANewVersion() throws Exception {
        // its dependencies are installed at deploy, from PyPI, which this machine cannot reach: the build fails, and
        // the deploy is refused in pip's words
        HttpResponse<String> refused = post("/functions", "application/json", bytes(SEED_CREATE));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.path("type").asString()).isEqualTo("urn:cloudfunc:problem:build-failed");
        assertThat(problem.path("detail").asString()).contains("pip failed")
                .contains("requests==2.28.0");
        assertThat(get("/functions/my-function").statusCode()).isEqualTo(404);

        HttpResponse<String> created = post("/functions", "application/json",
                bytes(SEED_CREATE.replace("[\"requests==2.28.0\"]", "[]")));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode function = JSON.readTree(created.body());
        assertThat(function.path("runtime").asString()).isEqualTo("python");
        assertThat(function.path("handler").asString()).isEqualTo("function.handle");
        assertThat(function.path("timeoutMs").asLong()).isEqualTo(30_000);
        assertThat(function.path("memoryMb").asInt()).isEqualTo(256);
        assertThat(function.path("cpuMillis").asInt()).isEqualTo(100);
        assertThat(function.path("env").path("API_KEY").asString()).isEqualTo("secret");
        assertThat(function.path("minInstances").asInt()).isZero();
        assertThat(function.path("maxInstances").asInt()).isEqualTo(10);

        // the seed's invoke body, on the native route
        HttpResponse<String> invoked = post("/functions/my-function/invoke", "application/json",
                bytes("{\"input\": \"data\", \"parameters\": {\"key\": \"value\"}}"));
        assertThat(invoked.statusCode()).as(invoked.body()).isEqualTo(200);
        assertThat(JSON.readTree(invoked.body()).path("result").asString()).isEqualTo("success");
        // the container that served it has the seed's limits: a tenth of a CPU, 256 MiB
        assertThat(hostConfigOf("my-function", 1)).isEqualTo("100000 10000 268435456");

        HttpResponse<String> updated = Api.put("/functions/my-function", SEED_UPDATE);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        JsonNode v2 = JSON.readTree(updated.body());
        assertThat(v2.path("latestVersion").asInt()).isEqualTo(2);
        assertThat(v2.path("timeoutMs").asLong()).isEqualTo(60_000);
        assertThat(v2.path("cpuMillis").asInt()).as("kept").isEqualTo(100);
        HttpResponse<String> again = post("/functions/my-function/invoke", "application/json", bytes("{}"));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).path("result").asString()).isEqualTo("updated");
        assertThat(again.headers().firstValue("X-CloudFunc-Version")).hasValue("2");
    }

    @Test
    void aCpuLimitFromTheCliAndTheNativeFieldIsTheContainersQuota(@TempDir Path dir) throws Exception {
        Path function = Files.createDirectory(dir.resolve("half_cpu"));
        Files.writeString(function.resolve("function.py"), "def handler(event):\n    return 'half'\n");

        Api.CliRun deploy = cli("deploy", function.toString(), "--cpu", "0.5");
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();
        HttpResponse<String> invoked = post("/functions/half_cpu/invoke", "application/json", bytes("{}"));
        assertThat(invoked.statusCode()).as(invoked.body()).isEqualTo(200);
        assertThat(hostConfigOf("half_cpu", 1)).isEqualTo("100000 50000 134217728");

        HttpResponse<String> native_ = Api.put("/functions/half_cpu", "{\"cpuMillis\":1500}");
        assertThat(native_.statusCode()).as(native_.body()).isEqualTo(200);
        Api.CliRun describe = cli("describe", "half_cpu");
        assertThat(describe.out()).containsPattern("CPU \\(millis\\):\\s+1500");
    }

    /**
     * {@code CpuPeriod CpuQuota Memory} of the container serving {@code name} v{@code version}, found by its instance
     * id (a prewarmed container that took the function keeps its generic labels, not the function's).
     */
    private static String hostConfigOf(String name, int version) throws Exception {
        JsonNode instances = JSON.readTree(get("/instances").body());
        String key = null;
        for (JsonNode instance : instances) {
            if (name.equals(instance.path("functionName").asString()) && instance.path("version").asInt() == version) {
                key = instance.path("id").asString();
            }
        }
        assertThat(key).as(instances.toString()).isNotNull();
        List<String> ids = List.of(Platform.docker("ps", "-q", "--filter", "label=io.cloudfunc.key=" + key).strip()
                .split("\\s+"));
        assertThat(ids).hasSize(1);
        return Platform.docker("inspect", "-f", "{{.HostConfig.CpuPeriod}} {{.HostConfig.CpuQuota}} "
                + "{{.HostConfig.Memory}}", ids.getFirst()).strip();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

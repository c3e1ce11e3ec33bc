package io.cloudfunc.e2e;

import static io.cloudfunc.e2e.Api.cli;
import static io.cloudfunc.e2e.Api.delete;
import static io.cloudfunc.e2e.Api.deployInline;
import static io.cloudfunc.e2e.Api.functionDir;
import static io.cloudfunc.e2e.Api.get;
import static io.cloudfunc.e2e.Api.post;
import static io.cloudfunc.e2e.Api.awaitNoContainers;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 4's functions features through the whole platform: versions and aliases (invoke, move, roll back),
 * configuration updates, secrets, statistics, instances and the OpenAPI document with its examples.
 */
@ExtendWith(SharedPlatform.class)
class VersionsAliasesStatsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aliasesNameVersionsAndRollingBackIsMovingTheAlias() throws Exception {
        deployInline("rollout", "def handler(event):\n    return 'v1'\n");
        deployInline("rollout", "def handler(event):\n    return 'v2'\n");
        assertThat(cli("alias", "rollout", "prod", "1").exitCode()).isZero();

        assertRuns("rollout:prod", "v1", 1);
        assertRuns("rollout:2", "v2", 2);
        assertRuns("rollout", "v2", 2);

        assertThat(cli("alias", "rollout", "prod", "2").exitCode()).isZero();
        awaitRuns("rollout:prod", "v2");
        Api.CliRun rollback = cli("alias", "rollout", "prod", "1");
        assertThat(rollback.out().strip()).isEqualTo("rollout:prod -> version 1");
        awaitRuns("rollout:prod", "v1");

        Api.CliRun invoke = cli("invoke", "rollout:prod");
        assertThat(invoke.exitCode()).as(invoke.err()).isZero();
        assertThat(invoke.out().strip()).isEqualTo("v1");
        JsonNode versions = JSON.readTree(cli("--output", "json", "versions", "rollout").out());
        assertThat(versions.path("versions")).hasSize(2);
        assertThat(versions.path("aliases").get(0).path("version").asInt()).isEqualTo(1);

        Api.CliRun unknown = cli("invoke", "rollout:staging");
        assertThat(unknown.exitCode()).isEqualTo(3);
        assertThat(unknown.err()).contains("staging").hasLineCount(1);
        assertThat(cli("alias", "rollout", "prod", "--delete").exitCode()).isZero();
        assertThat(post("/functions/rollout:prod/invoke", "application/json", "{}".getBytes()).statusCode())
                .isEqualTo(404);
    }

    @Test
    void aConfigurationUpdateIsANewVersionWithTheSameCode() throws Exception {
        var deployed = post("/functions", "application/json", """
                {"name":"configured","runtime":"python","env":{"MODE":"a"},
                 "code":"import os\\ndef handler(event):\\n    return os.environ['MODE']\\n"}
                """.getBytes());
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);

        Api.CliRun update = cli("--output", "json", "update", "configured", "--env", "MODE=b", "--memory", "64m");
        assertThat(update.exitCode()).as(update.err()).isZero();
        JsonNode updated = JSON.readTree(update.out());
        assertThat(updated.path("latestVersion").asInt()).isEqualTo(2);
        assertThat(updated.path("memoryMb").asInt()).isEqualTo(64);

        awaitRuns("configured", "b");
        assertRuns("configured:1", "a", 1);
        JsonNode versions = JSON.readTree(get("/functions/configured/versions").body());
        assertThat(versions.get(0).path("codeSha256").asString()).isEqualTo(versions.get(1).path("codeSha256").asString());
        assertThat(versions.get(1).path("memoryMb").asInt()).isEqualTo(128);
    }

    @Test
    void anUpdateWithCodeIsANewVersionRunningThatCodeWithTheConfigurationKept() throws Exception {
        var deployed = post("/functions", "application/json", """
                {"name":"recoded","runtime":"python","env":{"MODE":"a"},"memoryMb":96,
                 "code":"import os\\ndef handler(event):\\n    return 'v1 ' + os.environ['MODE']\\n"}
                """.getBytes());
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);

        var updated = Api.put("/functions/recoded", """
                {"code":"import os\\ndef handler(event):\\n    return 'v2 ' + os.environ['MODE']\\n","timeoutMs":60000}
                """);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        JsonNode view = JSON.readTree(updated.body());
        assertThat(view.path("latestVersion").asInt()).isEqualTo(2);
        assertThat(view.path("timeoutMs").asLong()).isEqualTo(60000);
        assertThat(view.path("memoryMb").asInt()).isEqualTo(96);

        awaitRuns("recoded", "v2 a");
        assertRuns("recoded:2", "v2 a", 2);
        assertRuns("recoded:1", "v1 a", 1);
    }

    @Test
    void aSecretReachesTheFunctionOnlyAndNoReadShowsIt() throws Exception {
        String secret = "e2e-secret-" + UUID.randomUUID();
        Path dir = functionDir("secretive", """
                import hashlib, os
                def handler(event):
                    return hashlib.sha256(os.environ["API_TOKEN"].encode()).hexdigest()
                """);
        Path secrets = Files.writeString(dir.getParent().resolve("secretive.env"), "API_TOKEN=" + secret + "\n");
        Api.CliRun deploy = cli("deploy", dir.toString(), "--secret-file", secrets.toString());
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();

        var invoked = post("/functions/secretive/invoke", "application/json", "{}".getBytes());
        assertThat(invoked.statusCode()).as(invoked.body()).isEqualTo(200);
        assertThat(JSON.readTree(invoked.body()).asString()).isEqualTo(sha256(secret));

        for (String path : List.of("/functions/secretive", "/functions", "/functions/secretive/versions",
                "/invocations/" + invoked.headers().firstValue("X-CloudFunc-Invocation-Id").orElseThrow())) {
            assertThat(get(path).body()).as(path).doesNotContain(secret);
        }
        assertThat(get("/functions/secretive").body()).contains("\"secretNames\":[\"API_TOKEN\"]");
        assertThat(cli("--output", "json", "describe", "secretive").out()).contains("API_TOKEN").doesNotContain(secret);
        String container = Platform.containersOf("secretive").getFirst();
        String inspect = new String(new ProcessBuilder("docker", "inspect", container).start().getInputStream()
                .readAllBytes(), StandardCharsets.UTF_8);
        assertThat(inspect).contains(container).doesNotContain(secret);
        for (String module : List.of("api-gateway", "function-registry", "scheduler", "container-manager")) {
            assertThat(SharedPlatform.get().log(module)).as(module + " log").doesNotContain(secret);
        }
    }

    @Test
    void statsCountTheCallsAndInstancesCanBeListedAndStopped() throws Exception {
        deployInline("counted", "def handler(event):\n    if event.get('fail'):\n        raise ValueError('no')\n"
                + "    return 'ok'\n");
        for (int i = 0; i < 3; i++) {
            assertThat(post("/functions/counted/invoke", "application/json", "{}".getBytes()).statusCode())
                    .isEqualTo(200);
        }
        assertThat(post("/functions/counted/invoke", "application/json", "{\"fail\":true}".getBytes()).statusCode())
                .isEqualTo(502);

        JsonNode stats = awaitStats("counted", 4);
        assertThat(stats.path("succeeded").asInt()).isEqualTo(3);
        assertThat(stats.path("errors").asInt()).isEqualTo(1);
        assertThat(stats.path("timeouts").asInt()).isZero();
        assertThat(stats.path("durationMs").path("p50").isNumber()).isTrue();
        assertThat(stats.path("durationMs").path("p99").asDouble())
                .isGreaterThanOrEqualTo(stats.path("durationMs").path("p50").asDouble());
        assertThat(stats.path("coldStartRatio").asDouble()).isEqualTo(0.25);
        // the same calls over time: summed over the last hour's minutes
        JsonNode series = JSON.readTree(get("/stats/series?function=counted").body());
        assertThat(series.path("step").asString()).isEqualTo("1m");
        assertThat(series.path("points").size()).isBetween(60, 61);
        long[] sums = new long[5];
        for (JsonNode point : series.path("points")) {
            sums[0] += point.path("invocations").asLong();
            sums[1] += point.path("succeeded").asLong();
            sums[2] += point.path("errors").asLong();
            sums[3] += point.path("cold").asLong() + point.path("prewarmed").asLong();
            sums[4] += point.path("warm").asLong();
        }
        assertThat(sums).as(series.toString()).containsExactly(4, 3, 1, 1, 3);
        // the node's warm container samples (every 2 s here) reach the registry: counted's container is among them
        JsonNode nodes = awaitNodeSample();
        assertThat(nodes.properties()).as(nodes.toString()).anySatisfy(node ->
                assertThat(node.getValue().asInt()).isGreaterThanOrEqualTo(1));
        JsonNode all = JSON.readTree(get("/stats?window=1h").body());
        assertThat(all.path("total").path("invocations").asInt()).isGreaterThanOrEqualTo(4);
        assertThat(all.path("functions").toString()).contains("\"functionName\":\"counted\"");
        Api.CliRun cliStats = cli("stats", "counted");
        assertThat(cliStats.exitCode()).as(cliStats.err()).isZero();
        assertThat(cliStats.out()).contains("counted");

        JsonNode instances = JSON.readTree(get("/instances").body());
        JsonNode instance = null;
        for (JsonNode candidate : instances) {
            if (candidate.path("functionName").asString().equals("counted")) {
                instance = candidate;
            }
        }
        assertThat(instance).as(instances.toString()).isNotNull();
        assertThat(instance.path("state").asString()).isEqualTo("idle");
        Api.CliRun stop = cli("instances", "stop", instance.path("id").asString());
        assertThat(stop.exitCode()).as(stop.err()).isZero();
        awaitNoContainers("counted");
        assertThat(delete("/instances/" + instance.path("id").asString()).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(cli("--output", "json", "instances").out()).toString()).doesNotContain(
                instance.path("id").asString());

        // seed 002's path; once the function is deleted, its calls are no longer in the statistics
        JsonNode seedPath = JSON.readTree(get("/stats/functions/counted").body());
        assertThat(seedPath.path("stats").path("invocations").asInt()).isEqualTo(4);
        assertThat(delete("/functions/counted").statusCode()).isEqualTo(204);
        assertThat(JSON.readTree(get("/stats?window=1h").body()).path("functions").toString())
                .doesNotContain("\"functionName\":\"counted\"");
        assertThat(get("/stats/functions/counted").statusCode()).isEqualTo(404);
        assertThat(cli("stats", "counted").exitCode()).isEqualTo(3);
    }

    @Test
    void theOpenApiDocumentIsServedAndItsExamplesWork() throws Exception {
        HttpResponse<String> docs = get("/v3/api-docs");
        assertThat(docs.statusCode()).isEqualTo(200);
        JsonNode api = JSON.readTree(docs.body());
        assertThat(get("/swagger-ui/index.html").statusCode()).isEqualTo(200);

        JsonNode deployExample = api.path("paths").path("/functions").path("post").path("requestBody")
                .path("content").path("application/json").path("examples").path("hello").path("value");
        var deployed = post("/functions", "application/json", JSON.writeValueAsBytes(deployExample));
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
        String name = deployExample.path("name").asString();

        JsonNode invokeExample = api.path("paths").path("/functions/{ref}/invoke").path("post").path("requestBody")
                .path("content").path("application/json").path("examples").path("alice").path("value");
        var invoked = post("/functions/" + name + "/invoke", "application/json", JSON.writeValueAsBytes(invokeExample));
        assertThat(invoked.statusCode()).as(invoked.body()).isEqualTo(200);
        assertThat(JSON.readTree(invoked.body()).path("hello").asString()).isEqualTo("Alice");

        var record = get("/invocations/" + invoked.headers().firstValue("X-CloudFunc-Invocation-Id").orElseThrow());
        assertThat(record.statusCode()).isEqualTo(200);

        JsonNode configExample = api.path("paths").path("/functions/{name}").path("put").path("requestBody")
                .path("content").path("application/json").path("examples").path("memory").path("value");
        var updated = Api.put("/functions/" + name, JSON.writeValueAsString(configExample));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        JsonNode aliasExample = api.path("paths").path("/functions/{name}/aliases/{alias}").path("put")
                .path("requestBody").path("content").path("application/json").path("examples").path("prod")
                .path("value");
        var aliased = Api.put("/functions/" + name + "/aliases/prod", JSON.writeValueAsString(aliasExample));
        assertThat(aliased.statusCode()).as(aliased.body()).isEqualTo(201);

        JsonNode canaryExample = api.path("paths").path("/functions/{name}/aliases/{alias}").path("put")
                .path("requestBody").path("content").path("application/json").path("examples").path("canary")
                .path("value");
        var split = Api.put("/functions/" + name + "/aliases/canary", JSON.writeValueAsString(canaryExample));
        assertThat(split.statusCode()).as(split.body()).isEqualTo(201);
        assertThat(JSON.readTree(split.body()).path("weights").size()).isEqualTo(2);
    }

    private static void assertRuns(String ref, String result, int version) throws Exception {
        var response = post("/functions/" + ref + "/invoke", "application/json", "{}".getBytes());
        assertThat(response.statusCode()).as(ref + ": " + response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).asString()).as(ref).isEqualTo(result);
        assertThat(response.headers().firstValue("X-CloudFunc-Version")).as(ref).hasValue(Integer.toString(version));
    }

    /** An alias move reaches the schedulers' caches by an event: bounded wait for it. */
    private static void awaitRuns(String ref, String result) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            var response = post("/functions/" + ref + "/invoke", "application/json", "{}".getBytes());
            last = response.body();
            if (response.statusCode() == 200 && JSON.readTree(last).asString().equals(result)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(ref + " did not run " + result + " within 10 s, last answer: " + last);
    }

    /** The records of the calls are written after the answers: bounded wait until all are final. */
    private static JsonNode awaitStats(String function, int calls) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        JsonNode stats = null;
        while (Instant.now().isBefore(deadline)) {
            stats = JSON.readTree(get("/functions/" + function + "/stats").body()).path("stats");
            if (stats.path("invocations").asInt() == calls && stats.path("pending").asInt() == 0) {
                return stats;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("stats of " + function + " did not show " + calls + " finished calls: " + stats);
    }

    /** The nodes of the newest point of /stats/series/nodes that has any, within 20 s. */
    private static JsonNode awaitNodeSample() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        JsonNode points = null;
        while (Instant.now().isBefore(deadline)) {
            points = JSON.readTree(get("/stats/series/nodes?from=" + Instant.now().minusSeconds(120)).body())
                    .path("points");
            for (int i = points.size() - 1; i >= 0; i--) {
                if (!points.get(i).path("nodes").isEmpty()) {
                    return points.get(i).path("nodes");
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no node sample within 20 s: " + points);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}

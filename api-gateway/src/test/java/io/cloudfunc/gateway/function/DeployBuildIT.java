package io.cloudfunc.gateway.function;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import io.cloudfunc.gateway.support.Multipart;
import io.cloudfunc.gateway.support.StubService.Answer;
import io.cloudfunc.gateway.support.Zips;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's side of dependency builds at deploy: when it asks a container-manager for one, what it sends, and
 * what it does with each answer (the whole path, with pip and npm, is e2e BuildsIT).
 */
class DeployBuildIT extends GatewayIntegrationTest {

    private static final String BUILDS = "/internal/builds";
    private static final String CHECKS = "/internal/code-checks";
    private static final String DIGEST = "ab".repeat(32);
    private static final String VIEW = "{\"name\":\"%s\",\"runtime\":\"python\",\"handler\":\"function.handler\","
            + "\"latestVersion\":1,\"codeSha256\":\"abc\"}";
    private static final String NOT_FOUND = "{\"type\":\"urn:cloudfunc:problem:not-found\",\"title\":\"Not Found\","
            + "\"status\":404,\"detail\":\"No such path.\"}";

    @AfterEach
    void managerKnowsNoBuilds() {
        // the stubs are shared by every test class: leave the manager as the others expect it (no such path)
        MANAGER.answer("POST", BUILDS, Answer.problem(404, NOT_FOUND));
        MANAGER.answer("POST", CHECKS, Answer.problem(404, NOT_FOUND));
    }

    @Test
    void aRequirementsFileIsBuiltFirstAndTheDeployNamesTheBuild() throws Exception {
        MANAGER.answer("POST", BUILDS, Answer.json(200, "{\"digest\":\"" + DIGEST + "\",\"reused\":false,"
                + "\"buildMs\":1500,\"size\":2048}"));
        MANAGER.answer("POST", CHECKS, Answer.json(200, "{\"ready\":true}"));
        REGISTRY.answer("POST", "/internal/functions", Answer.json(201, VIEW.formatted("build_ok")));
        String buildId = UUID.randomUUID().toString();

        HttpResponse<byte[]> response = deploy("build_ok", buildId, Zips.of("function.py", "import greet\n",
                "requirements.txt", "greet==0.1\n"));

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        var build = MANAGER.last("POST", BUILDS);
        assertThat(build.query()).isEqualTo("id=" + buildId);
        JsonNode metadata = JSON.readTree(Multipart.parse(build.contentType(), build.body()).get("metadata").content());
        assertThat(metadata.path("functionName").asString()).isEqualTo("build_ok");
        assertThat(metadata.path("runtime").asString()).isEqualTo("python");
        var check = MANAGER.last("POST", CHECKS);
        JsonNode checked = JSON.readTree(Multipart.parse(check.contentType(), check.body()).get("metadata").content());
        assertThat(checked.path("dependenciesDigest").asString()).as("the code is checked with its build")
                .isEqualTo(DIGEST);
        assertThat(REGISTRY.last("POST", "/internal/functions").query()).isEqualTo("dependencies=" + DIGEST);
    }

    @Test
    void aFailedBuildIsRelayedAndNothingIsStored() throws Exception {
        MANAGER.answer("POST", BUILDS, Answer.problem(400, "{\"type\":\"urn:cloudfunc:problem:build-failed\","
                + "\"title\":\"Dependency build failed\",\"status\":400,\"detail\":\"The dependencies of build_bad did"
                + " not install (pip failed; nothing was deployed):\\nERROR: No matching distribution found for"
                + " greet==9\",\"functionName\":\"build_bad\",\"log\":[\"ERROR: No matching distribution found for"
                + " greet==9\"]}"));
        REGISTRY.answer("POST", "/internal/functions", Answer.json(201, VIEW.formatted("build_bad")));
        int deploysBefore = REGISTRY.received("POST", "/internal/functions").size();

        HttpResponse<byte[]> response = deploy("build_bad", UUID.randomUUID().toString(),
                Zips.of("function.py", "x = 1\n", "requirements.txt", "greet==9\n"));

        JsonNode problem = assertProblem(response, 400, "build-failed");
        assertThat(problem.path("detail").asString()).contains("No matching distribution found for greet==9");
        assertThat(problem.path("log").get(0).asString()).contains("greet==9");
        assertThat(problem.path("instance").asString()).isEqualTo("/functions");
        var deploys = REGISTRY.received("POST", "/internal/functions");
        assertThat(deploys.subList(deploysBefore, deploys.size())).extracting(r -> r.query())
                .containsExactly("dryRun=true");
    }

    @Test
    void anArchiveWithoutDependencyFilesAsksNoManagerForABuild() throws Exception {
        REGISTRY.answer("POST", "/internal/functions", Answer.json(201, VIEW.formatted("build_none")));
        int buildsBefore = MANAGER.received("POST", BUILDS).size();

        HttpResponse<byte[]> response = deploy("build_none", UUID.randomUUID().toString(),
                Zips.of("function.py", "def handler(event, context):\n    return 1\n"));

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        assertThat(MANAGER.received("POST", BUILDS)).hasSize(buildsBefore);
        assertThat(REGISTRY.last("POST", "/internal/functions").query()).isNull();
    }

    @Test
    void aBuildIdIsAUuidAndItsLogIsAskedOfTheManagers() throws Exception {
        assertProblem(post("/functions?buildId=not-a-uuid", "application/json",
                "{\"name\":\"x\",\"code\":\"x = 1\"}".getBytes(StandardCharsets.UTF_8)), 400, "invalid-request");
        String buildId = UUID.randomUUID().toString();
        MANAGER.answer("GET", BUILDS + "/" + buildId + "/log", Answer.json(200, "{\"id\":\"" + buildId + "\","
                + "\"lines\":[\"$ pip install -r requirements.txt\"],\"next\":1,\"done\":false}"));

        HttpResponse<byte[]> log = get("/builds/" + buildId + "/log?from=0");

        assertThat(log.statusCode()).as(text(log)).isEqualTo(200);
        assertThat(JSON.readTree(log.body()).path("lines").get(0).asString())
                .isEqualTo("$ pip install -r requirements.txt");
        assertThat(MANAGER.last("GET", BUILDS + "/" + buildId + "/log").query()).isEqualTo("from=0");
        assertProblem(get("/builds/" + UUID.randomUUID() + "/log"), 404, "not-found");
    }

    private HttpResponse<byte[]> deploy(String name, String buildId, byte[] zip) throws Exception {
        var form = new Multipart()
                .part("metadata", null, "application/json",
                        ("{\"name\":\"" + name + "\",\"runtime\":\"python\"}").getBytes(StandardCharsets.UTF_8))
                .part("code", name + ".zip", "application/zip", zip);
        return post("/functions?buildId=" + buildId, form.contentType(), form.bytes());
    }
}

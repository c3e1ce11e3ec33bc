package io.cloudfunc.gateway.function;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import io.cloudfunc.gateway.support.Multipart;
import io.cloudfunc.gateway.support.StubService.Answer;
import io.cloudfunc.gateway.support.Zips;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's side of the deploy-time code check: what it sends a container-manager, and what it does with each
 * answer (the whole path, with a real runtime, is e2e CodeVerificationIT).
 */
class DeployCodeCheckIT extends GatewayIntegrationTest {

    private static final String CHECKS = "/internal/code-checks";
    private static final String VIEW = "{\"name\":\"%s\",\"runtime\":\"python\",\"handler\":\"function.handler\","
            + "\"latestVersion\":1,\"codeSha256\":\"abc\"}";
    private static final String REJECTED = "{\"ready\":false,\"error\":{\"type\":\"HandlerNotFound\","
            + "\"message\":\"module 'function' has no function 'handler'\",\"trace\":[]}}";

    @AfterEach
    void managerKnowsNoChecks() {
        // the stubs are shared by every test class: leave the manager as the others expect it (no such path)
        MANAGER.answer("POST", CHECKS, Answer.problem(404, "{\"type\":\"urn:cloudfunc:problem:not-found\","
                + "\"title\":\"Not Found\",\"status\":404,\"detail\":\"No such path.\"}"));
    }

    @Test
    void codeTheRuntimeCannotLoadIsA400AndNeverReachesTheRegistry() throws Exception {
        MANAGER.answer("POST", CHECKS, Answer.json(200, REJECTED));
        int deploysBefore = REGISTRY.received("POST", "/internal/functions").size();

        HttpResponse<byte[]> response = inline("check_rejected", "");

        JsonNode problem = assertProblem(response, 400, "code-rejected");
        assertThat(problem.path("title").asString()).isEqualTo("Code rejected");
        assertThat(problem.path("errorType").asString()).isEqualTo("HandlerNotFound");
        assertThat(problem.path("errorMessage").asString()).isEqualTo("module 'function' has no function 'handler'");
        assertThat(problem.path("functionName").asString()).isEqualTo("check_rejected");
        assertThat(problem.path("instance").asString()).isEqualTo("/functions");
        // the registry was only asked whether it would take the deploy (a dry run), never to store it
        var deploys = REGISTRY.received("POST", "/internal/functions");
        assertThat(deploys.subList(deploysBefore, deploys.size())).extracting(r -> r.query())
                .containsExactly("dryRun=true");
        // what the manager was asked: the function's runtime, handler and env (secrets included), and the code
        var check = MANAGER.last("POST", CHECKS);
        assertThat(check.query()).isEqualTo("function=check_rejected");
        var parts = Multipart.parse(check.contentType(), check.body());
        JsonNode metadata = JSON.readTree(parts.get("metadata").content());
        assertThat(metadata.path("runtime").asString()).isEqualTo("python");
        assertThat(metadata.path("handler").asString()).isEqualTo("function.handler");
        assertThat(metadata.path("env").path("MODE").asString()).isEqualTo("test");
        assertThat(metadata.path("env").path("TOKEN").asString()).isEqualTo("s3cret");
        assertThat(new String(parts.get("code").content(), StandardCharsets.ISO_8859_1)).startsWith("PK");
    }

    @Test
    void aZipUploadIsCheckedToo() throws Exception {
        MANAGER.answer("POST", CHECKS, Answer.json(200, REJECTED));
        byte[] zip = Zips.of("function.py", "def other(event):\n    return 1\n");
        var form = new Multipart()
                .part("metadata", null, "application/json",
                        "{\"name\":\"check_zip\",\"runtime\":\"python\"}".getBytes(StandardCharsets.UTF_8))
                .part("code", "check.zip", "application/zip", zip);

        HttpResponse<byte[]> response = post("/functions", form.contentType(), form.bytes());

        assertProblem(response, 400, "code-rejected");
        var parts = Multipart.parse(MANAGER.last("POST", CHECKS).contentType(), MANAGER.last("POST", CHECKS).body());
        assertThat(parts.get("code").content()).isEqualTo(zip);
    }

    @Test
    void verifyFalseDeploysWithoutAskingAManager() throws Exception {
        MANAGER.answer("POST", CHECKS, Answer.json(200, REJECTED));
        REGISTRY.answer("POST", "/internal/functions", Answer.json(201, VIEW.formatted("check_off")));
        int checksBefore = MANAGER.received("POST", CHECKS).size();

        HttpResponse<byte[]> response = inline("check_off", "?verify=false");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        assertThat(MANAGER.received("POST", CHECKS)).hasSize(checksBefore);
    }

    @Test
    void aManagerThatCannotCheckDoesNotBlockTheDeploy() throws Exception {
        MANAGER.answer("POST", CHECKS, Answer.problem(503, "{\"type\":\"urn:cloudfunc:problem:platform-error\","
                + "\"title\":\"Platform error\",\"status\":503,\"detail\":\"No container was free.\"}"));
        REGISTRY.answer("POST", "/internal/functions", Answer.json(201, VIEW.formatted("check_busy")));

        HttpResponse<byte[]> response = inline("check_busy", "");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
    }

    @Test
    void loadedCodeIsDeployed() throws Exception {
        MANAGER.answer("POST", CHECKS, Answer.json(200, "{\"ready\":true}"));
        REGISTRY.answer("POST", "/internal/functions", Answer.json(201, VIEW.formatted("check_ready")));

        HttpResponse<byte[]> response = inline("check_ready", "");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        assertThat(MANAGER.last("POST", CHECKS).query()).isEqualTo("function=check_ready");
    }

    private HttpResponse<byte[]> inline(String name, String query) throws Exception {
        String body = JSON.writeValueAsString(Map.of("name", name, "runtime", "python",
                "code", "def other(event):\n    return 1\n", "env", Map.of("MODE", "test"),
                "secrets", Map.of("TOKEN", "s3cret")));
        return post("/functions" + query, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }
}

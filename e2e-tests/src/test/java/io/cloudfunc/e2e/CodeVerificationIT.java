package io.cloudfunc.e2e;

import static io.cloudfunc.e2e.Api.cli;
import static io.cloudfunc.e2e.Api.get;
import static io.cloudfunc.e2e.Api.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A deploy loads its code once in a throwaway container before storing it: code that does not load is a 400
 * {@code code-rejected} with the runtime's own error, and nothing is stored; {@code ?verify=false} and the CLI's
 * {@code --no-verify} skip the check.
 */
@ExtendWith(SharedPlatform.class)
class CodeVerificationIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String NO_HANDLER = "def other(event):\n    return 'never called'\n";
    private static final String SYNTAX_ERROR = "def handler(event)\n    return 'no colon'\n";

    @Test
    void anInlineDeployWhoseHandlerIsMissingIsRefusedWithTheRuntimesErrorAndNotStored() throws Exception {
        HttpResponse<String> refused = inline("verify_missing", NO_HANDLER, "");

        JsonNode problem = problemOf(refused);
        assertThat(problem.path("errorType").asString()).isEqualTo("HandlerNotFound");
        assertThat(problem.path("errorMessage").asString()).isEqualTo("module 'function' has no function 'handler'");
        assertThat(problem.path("detail").asString()).contains("HandlerNotFound")
                .contains("module 'function' has no function 'handler'");
        assertThat(refused.body()).doesNotContain("/cloudfunc").doesNotContain("/internal");
        assertThat(get("/functions/verify_missing").statusCode()).isEqualTo(404);
        awaitNoCheckContainers();
    }

    @Test
    void aSyntaxErrorIsRefusedWithTheLineItIsOn() throws Exception {
        HttpResponse<String> refused = inline("verify_syntax", SYNTAX_ERROR, "");

        JsonNode problem = problemOf(refused);
        assertThat(problem.path("errorType").asString()).isEqualTo("SyntaxError");
        assertThat(problem.path("trace").toString()).contains("function.py").contains("line 1")
                .contains("def handler(event)");
        assertThat(get("/functions/verify_syntax").statusCode()).isEqualTo(404);
    }

    @Test
    void aZipUploadAndANewVersionAreCheckedToo() throws Exception {
        HttpResponse<String> refused = Api.deploy(Api.spec("verify_zip", "python"),
                Api.zip(Map.of("function.py", NO_HANDLER)));
        assertThat(problemOf(refused).path("errorType").asString()).isEqualTo("HandlerNotFound");
        assertThat(get("/functions/verify_zip").statusCode()).isEqualTo(404);

        HttpResponse<String> created = Api.deploy(Api.spec("verify_zip", "python"),
                Api.zip(Map.of("function.py", "def handler(event):\n    return 'v1'\n")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> broken = Api.put("/functions/verify_zip",
                JSON.writeValueAsString(Map.of("code", SYNTAX_ERROR)));
        assertThat(problemOf(broken).path("errorType").asString()).isEqualTo("SyntaxError");
        JsonNode function = JSON.readTree(get("/functions/verify_zip").body());
        assertThat(function.path("latestVersion").asInt()).as("no version 2").isEqualTo(1);
        HttpResponse<String> invoked = post("/functions/verify_zip/invoke", "application/json", bytes("{}"));
        assertThat(invoked.statusCode()).as(invoked.body()).isEqualTo(200);
        assertThat(invoked.body()).contains("v1");
    }

    @Test
    void aNodeModuleThatRequiresWhatIsNotThereIsRefusedWithoutContainerPaths() throws Exception {
        String body = JSON.writeValueAsString(Map.of("name", "verify_node", "runtime", "node",
                "code", "const missing = require('./nowhere');\nexports.handler = async () => 1;\n"));
        HttpResponse<String> refused = post("/functions", "application/json", bytes(body));

        JsonNode problem = problemOf(refused);
        assertThat(problem.path("errorMessage").asString()).contains("Cannot find module './nowhere'");
        assertThat(refused.body()).doesNotContain("/cloudfunc").doesNotContain("/opt/");
        assertThat(get("/functions/verify_node").statusCode()).isEqualTo(404);
    }

    @Test
    void goodCodeIsDeployedAndServesCalls() throws Exception {
        HttpResponse<String> created = inline("verify_good", "def handler(event):\n    return 'loaded'\n", "");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> invoked = post("/functions/verify_good/invoke", "application/json", bytes("{}"));
        assertThat(invoked.statusCode()).as(invoked.body()).isEqualTo(200);
        assertThat(invoked.body()).contains("loaded");
        awaitNoCheckContainers();
    }

    @Test
    void verifyFalseAndNoVerifyDeployCodeThatDoesNotLoad() throws Exception {
        HttpResponse<String> unchecked = inline("verify_off", NO_HANDLER, "?verify=false");
        assertThat(unchecked.statusCode()).as(unchecked.body()).isEqualTo(201);

        Path dir = Api.functionDir("verify_cli", NO_HANDLER);
        Api.CliRun refused = cli("deploy", dir.toString());
        assertThat(refused.exitCode()).as(refused.out()).isNotZero();
        assertThat(refused.err()).contains("HandlerNotFound").contains("has no function 'handler'");
        assertThat(get("/functions/verify_cli").statusCode()).isEqualTo(404);

        Api.CliRun deployed = cli("deploy", dir.toString(), "--no-verify");
        assertThat(deployed.exitCode()).as(deployed.err()).isZero();
        assertThat(deployed.out()).contains("Deployed verify_cli version 1");
    }

    @Test
    void verifyIsTrueOrFalse() throws Exception {
        HttpResponse<String> refused = inline("verify_bad_flag", "def handler(event):\n    return 1\n", "?verify=no");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).path("type").asString())
                .isEqualTo("urn:cloudfunc:problem:invalid-request");
    }

    private static HttpResponse<String> inline(String name, String code, String query) throws Exception {
        String body = JSON.writeValueAsString(Map.of("name", name, "runtime", "python", "code", code));
        return post("/functions" + query, "application/json", bytes(body));
    }

    private static JsonNode problemOf(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("type").asString()).isEqualTo("urn:cloudfunc:problem:code-rejected");
        assertThat(problem.path("title").asString()).isEqualTo("Code rejected");
        return problem;
    }

    /** The containers that loaded code for a check are removed (they show with a version below zero meanwhile). */
    private static void awaitNoCheckContainers() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        String instances;
        do {
            instances = get("/instances").body();
            if (!JSON.readTree(instances).findValues("version").stream().anyMatch(v -> v.asInt() < 0)) {
                return;
            }
            Thread.sleep(100);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("a code check's container is still there: " + instances);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

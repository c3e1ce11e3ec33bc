package io.cloudfunc.gateway.function;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import io.cloudfunc.gateway.support.Multipart;
import io.cloudfunc.gateway.support.StubService;
import io.cloudfunc.gateway.support.StubService.Answer;
import io.cloudfunc.gateway.support.Zips;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FunctionManagementIT extends GatewayIntegrationTest {

    private static final String VIEW = "{\"name\":\"%s\",\"runtime\":\"python\",\"handler\":\"function.handler\","
            + "\"timeoutMs\":30000,\"memoryMb\":128,\"idleTtlMs\":60000,\"env\":{},\"latestVersion\":1,"
            + "\"codeSha256\":\"abc\",\"codeSize\":120,\"createdAt\":\"2026-01-01T00:00:00Z\","
            + "\"updatedAt\":\"2026-01-01T00:00:00Z\"}";
    private static final byte[] ZIP = Zips.of("function.py", "def handler(event, context):\n    return event\n");

    private static void registryDeploysAnything(String name) {
        REGISTRY.answer("POST", "/internal/functions", Answer.json(201, VIEW.formatted(name)));
    }

    private static Map<String, Multipart.Part> forwardedDeploy() {
        var last = REGISTRY.last("POST", "/internal/functions");
        assertThat(last.contentType()).startsWith("multipart/form-data; boundary=");
        return Multipart.parse(last.contentType(), last.body());
    }

    @Test
    void deploysAZipWithAMetadataPartAndAnswers201WithLocation() throws Exception {
        registryDeploysAnything("hello");
        var form = new Multipart()
                .part("metadata", null, "application/json",
                        "{\"name\":\"hello\",\"runtime\":\"python\",\"timeoutMs\":5000,\"env\":{\"A\":\"1\"}}"
                                .getBytes(StandardCharsets.UTF_8))
                .part("code", "hello.zip", "application/zip", ZIP);

        HttpResponse<byte[]> response = post("/functions", form.contentType(), form.bytes());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue("/functions/hello");
        assertThat(text(response)).isEqualTo(VIEW.formatted("hello"));
        var parts = forwardedDeploy();
        JsonNode metadata = JSON.readTree(parts.get("metadata").content());
        assertThat(metadata.path("name").asString()).isEqualTo("hello");
        assertThat(metadata.path("timeoutMs").asLong()).isEqualTo(5000);
        assertThat(metadata.path("env").path("A").asString()).isEqualTo("1");
        assertThat(parts.get("metadata").headers().get("content-type")).isEqualTo("application/json");
        assertThat(parts.get("code").content()).isEqualTo(ZIP);
        assertThat(parts.get("code").headers().get("content-disposition")).contains("filename=\"hello.zip\"");
        // the scheduler forgets what it resolved for the name, so a call right after the deploy sees the new version;
        // it is told which version that is (the registry's latestVersion), to keep it if the event brought it first
        assertThat(SCHEDULER.received("DELETE", "/internal/function-cache/hello"))
                .extracting(StubService.Received::query).contains("version=1");
    }

    @Test
    void redeployIsRelayedAs201WithTheNewVersionsLocationAndABadVersionIsRefusedHere() throws Exception {
        String v3 = VIEW.formatted("rolled").replace("\"latestVersion\":1", "\"latestVersion\":3");
        REGISTRY.answer("POST", "/internal/functions/rolled/versions/1/redeploy", Answer.json(201, v3));
        REGISTRY.answer("POST", "/internal/functions/rolled/versions/7/redeploy", Answer.problem(404,
                "{\"type\":\"https://cloudfunc.dev/problems/function-not-found\",\"title\":\"Function not found\","
                        + "\"status\":404,\"detail\":\"function 'rolled' has no version 7\"}"));

        HttpResponse<byte[]> response = post("/functions/rolled/versions/1/redeploy", "application/json", new byte[0]);
        HttpResponse<byte[]> missing = post("/functions/rolled/versions/7/redeploy", "application/json", new byte[0]);
        HttpResponse<byte[]> malformed = post("/functions/rolled/versions/latest/redeploy", "application/json",
                new byte[0]);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue("/functions/rolled/versions/3");
        assertThat(text(response)).isEqualTo(v3);
        assertThat(SCHEDULER.received("DELETE", "/internal/function-cache/rolled"))
                .extracting(StubService.Received::query).contains("version=3");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(text(missing)).contains("has no version 7");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(REGISTRY.received("POST", "/internal/functions/rolled/versions/latest/redeploy")).isEmpty();
    }

    @Test
    void deploysAZipWithIndividualFormFields() throws Exception {
        registryDeploysAnything("fields");
        var form = new Multipart()
                .field("name", "fields")
                .field("runtime", "python")
                .field("handler", "function.handler")
                .field("timeoutMs", "2500")
                .field("memoryMb", "256")
                .field("cpuMillis", "250")
                .field("idleTtlMs", "90000")
                .field("env", "GREETING=hi=there")
                .field("env", "{\"MODE\":\"test\"}")
                .part("code", "code.zip", "application/zip", ZIP);

        HttpResponse<byte[]> response = post("/functions", form.contentType(), form.bytes());

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode metadata = JSON.readTree(forwardedDeploy().get("metadata").content());
        assertThat(metadata.path("name").asString()).isEqualTo("fields");
        assertThat(metadata.path("handler").asString()).isEqualTo("function.handler");
        assertThat(metadata.path("timeoutMs").asLong()).isEqualTo(2500);
        assertThat(metadata.path("memoryMb").asInt()).isEqualTo(256);
        assertThat(metadata.path("idleTtlMs").asLong()).isEqualTo(90000);
        assertThat(metadata.path("cpuMillis").asInt()).isEqualTo(250);
        assertThat(metadata.path("env").path("GREETING").asString()).isEqualTo("hi=there");
        assertThat(metadata.path("env").path("MODE").asString()).isEqualTo("test");
    }

    @Test
    void zipsInlineCodeAsTheHandlersModule() throws Exception {
        registryDeploysAnything("inline");
        String code = "def main(event, context):\n    return {'ok': True}\n";
        String body = JSON.writeValueAsString(Map.of("name", "inline", "runtime", "python", "handler", "app.main",
                "code", code));

        HttpResponse<byte[]> response = post("/functions", "application/json", body.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue("/functions/inline");
        var parts = forwardedDeploy();
        assertThat(Zips.entries(parts.get("code").content())).containsExactly(Map.entry("app.py", code));
        JsonNode metadata = JSON.readTree(parts.get("metadata").content());
        assertThat(metadata.path("handler").asString()).isEqualTo("app.main");
        assertThat(metadata.has("code")).isFalse();
    }

    @Test
    void deploysAndDescribesANameWithUnderscores() throws Exception {
        registryDeploysAnything("hello_fn");
        REGISTRY.answer("GET", "/internal/functions/hello_fn", Answer.json(200, VIEW.formatted("hello_fn")));
        var form = new Multipart().field("name", "hello_fn").field("runtime", "python")
                .part("code", "hello_fn.zip", "application/zip", ZIP);

        HttpResponse<byte[]> deploy = post("/functions", form.contentType(), form.bytes());
        HttpResponse<byte[]> describe = get("/functions/hello_fn");

        assertThat(deploy.statusCode()).isEqualTo(201);
        assertThat(deploy.headers().firstValue("Location")).hasValue("/functions/hello_fn");
        assertThat(JSON.readTree(forwardedDeploy().get("metadata").content()).path("name").asString())
                .isEqualTo("hello_fn");
        assertThat(describe.statusCode()).isEqualTo(200);
        assertThat(text(describe)).isEqualTo(VIEW.formatted("hello_fn"));
    }

    @Test
    void rejectsAnInvalidNameBeforeCallingTheRegistry() throws Exception {
        int before = REGISTRY.received("POST", "/internal/functions").size();
        var form = new Multipart().field("name", "Hello_World").field("runtime", "python")
                .part("code", "c.zip", "application/zip", ZIP);

        JsonNode problem = assertProblem(post("/functions", form.contentType(), form.bytes()), 400, "invalid-request");

        assertThat(problem.path("functionName").asString()).isEqualTo("Hello_World");
        assertThat(problem.path("detail").asString()).isEqualTo("Invalid function name 'Hello_World': a function"
                + " name is 1 to 63 lowercase letters, digits, dashes and underscores, starting with a letter or digit.");
        assertThat(REGISTRY.received("POST", "/internal/functions")).hasSize(before);
    }

    @Test
    void rejectsADeployWithoutCode() throws Exception {
        var form = new Multipart().field("name", "nocode").field("runtime", "python");

        JsonNode problem = assertProblem(post("/functions", form.contentType(), form.bytes()), 400, "invalid-request");

        assertThat(problem.path("detail").asString()).contains("'code'");
    }

    @Test
    void rejectsADeployWithoutRuntime() throws Exception {
        var form = new Multipart().field("name", "noruntime").part("code", "c.zip", "application/zip", ZIP);

        assertProblem(post("/functions", form.contentType(), form.bytes()), 400, "invalid-request");
    }

    @Test
    void rejectsANonNumericTimeout() throws Exception {
        var form = new Multipart().field("name", "t").field("runtime", "python").field("timeoutMs", "soon")
                .part("code", "c.zip", "application/zip", ZIP);

        JsonNode problem = assertProblem(post("/functions", form.contentType(), form.bytes()), 400, "invalid-request");

        assertThat(problem.path("detail").asString()).contains("timeoutMs");
    }

    @Test
    void refusesAFractionalTimeoutOrADuplicateKeyInAnInlineDeployWithoutCallingTheRegistry() throws Exception {
        int before = REGISTRY.received("POST", "/internal/functions").size();
        String fractional = "{\"name\":\"frac\",\"runtime\":\"python\",\"timeoutMs\":1.5,\"code\":\"x = 1\"}";
        String duplicate = "{\"name\":\"dup\",\"runtime\":\"python\",\"code\":\"x = 1\",\"name\":\"other\"}";

        JsonNode fractionalProblem = assertProblem(post("/functions", "application/json",
                fractional.getBytes(StandardCharsets.UTF_8)), 400, "invalid-request");
        JsonNode duplicateProblem = assertProblem(post("/functions", "application/json",
                duplicate.getBytes(StandardCharsets.UTF_8)), 400, "invalid-request");

        assertThat(fractionalProblem.path("detail").asString()).endsWith("'timeoutMs' must be a whole number.");
        assertThat(fractionalProblem.path("field").asString()).isEqualTo("timeoutMs");
        assertThat(duplicateProblem.path("detail").asString()).endsWith("duplicate field 'name'.");
        assertThat(REGISTRY.received("POST", "/internal/functions")).hasSize(before);
    }

    @Test
    void refusesAMultipartDeployWithTwoCodeOrNameParts() throws Exception {
        int before = REGISTRY.received("POST", "/internal/functions").size();
        var twoCodes = new Multipart().field("name", "twice").field("runtime", "python")
                .part("code", "a.zip", "application/zip", ZIP).part("code", "b.zip", "application/zip", ZIP);
        var twoNames = new Multipart().field("name", "twice").field("name", "other").field("runtime", "python")
                .part("code", "a.zip", "application/zip", ZIP);

        JsonNode codes = assertProblem(post("/functions", twoCodes.contentType(), twoCodes.bytes()), 400,
                "invalid-request");
        JsonNode names = assertProblem(post("/functions", twoNames.contentType(), twoNames.bytes()), 400,
                "invalid-request");

        assertThat(codes.path("detail").asString()).startsWith("The 'code' part is given twice");
        assertThat(names.path("detail").asString()).startsWith("The 'name' part is given twice");
        assertThat(names.path("field").asString()).isEqualTo("name");
        assertThat(REGISTRY.received("POST", "/internal/functions")).hasSize(before);
    }

    @Test
    void rejectsMetadataThatIsNotJson() throws Exception {
        var form = new Multipart().part("metadata", null, "application/json", "{name:".getBytes(StandardCharsets.UTF_8))
                .part("code", "c.zip", "application/zip", ZIP);

        assertProblem(post("/functions", form.contentType(), form.bytes()), 400, "invalid-request");
    }

    @Test
    void rejectsCodeThatIsNotAZip() throws Exception {
        var form = new Multipart().field("name", "notzip").field("runtime", "python")
                .part("code", "c.zip", "application/zip", "print('hi')".getBytes(StandardCharsets.UTF_8));

        assertProblem(post("/functions", form.contentType(), form.bytes()), 400, "invalid-archive");
    }

    @Test
    void answers413ForAnArchiveOverTheLimit() throws Exception {
        var form = new Multipart().field("name", "big").field("runtime", "python")
                .part("code", "big.zip", "application/zip", new byte[70 * 1024]);

        assertProblem(post("/functions", form.contentType(), form.bytes()), 413, "payload-too-large");
    }

    @Test
    void answers413ForAnUploadFarOverTheWholeRequestLimit() throws Exception {
        var form = new Multipart().field("name", "huge").field("runtime", "python")
                .part("code", "huge.zip", "application/zip", new byte[3 * 1024 * 1024]);

        assertProblem(post("/functions", form.contentType(), form.bytes()), 413, "payload-too-large");
    }

    @Test
    void answers413ForAMultipartBodyWithTooManyParts() throws Exception {
        var form = new Multipart().field("name", "parts").field("runtime", "python");
        for (int i = 0; i < 120; i++) {
            form.field("env", "K" + i + "=v");
        }
        form.part("code", "c.zip", "application/zip", ZIP);

        JsonNode problem = assertProblem(post("/functions", form.contentType(), form.bytes()), 413,
                "payload-too-large");

        assertThat(problem.path("detail").asString()).contains("too many parts");
    }

    @Test
    void answers413ForInlineCodeOverTheLimit() throws Exception {
        String body = JSON.writeValueAsString(Map.of("name", "biginline", "runtime", "python",
                "code", "x = 1\n".repeat(2_000)));

        assertProblem(post("/functions", "application/json", body.getBytes(StandardCharsets.UTF_8)), 413,
                "payload-too-large");
    }

    @Test
    void rejectsInlineDeployThatIsNotJson() throws Exception {
        assertProblem(post("/functions", "application/json", "{\"name\":".getBytes(StandardCharsets.UTF_8)), 400,
                "invalid-request");
    }

    @Test
    void rejectsInlineCodeForARuntimeWithoutSingleFileModules() throws Exception {
        String body = JSON.writeValueAsString(Map.of("name", "javafn", "runtime", "java", "code", "class A {}"));

        JsonNode problem = assertProblem(post("/functions", "application/json", body.getBytes(StandardCharsets.UTF_8)),
                400, "invalid-request");

        assertThat(problem.path("detail").asString()).contains("zip");
    }

    @Test
    void answers415ForOtherContentTypes() throws Exception {
        assertProblem(post("/functions", "text/plain", "hello".getBytes(StandardCharsets.UTF_8)), 415,
                "unsupported-media-type");
    }

    @Test
    void passesTheRegistrysProblemThroughWithThePublicPathAsItsInstance() throws Exception {
        String registryProblem = "{\"type\":\"urn:cloudfunc:problem:unsupported-runtime\",\"title\":\"Bad Request\","
                + "\"status\":400,\"detail\":\"Runtime 'cobol' is not offered.\",\"instance\":\"/internal/functions\","
                + "\"runtime\":\"cobol\"}";
        REGISTRY.answer("POST", "/internal/functions", Answer.problem(400, registryProblem));
        var form = new Multipart().field("name", "legacy").field("runtime", "cobol")
                .part("code", "c.zip", "application/zip", ZIP);

        HttpResponse<byte[]> response = post("/functions", form.contentType(), form.bytes());

        assertProblem(response, 400, "unsupported-runtime");
        // status, type, detail and the extra members as the registry wrote them; the path and title are the public ones
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"type\":"
                + "\"urn:cloudfunc:problem:unsupported-runtime\",\"title\":\"Unsupported runtime\",\"status\":400,"
                + "\"detail\":\"Runtime 'cobol' is not offered.\",\"instance\":\"/functions\",\"runtime\":\"cobol\"}"));
    }

    @Test
    void listsDescribesAndDeletesThroughTheRegistry() throws Exception {
        REGISTRY.answer("GET", "/internal/functions", Answer.json(200, "[" + VIEW.formatted("a") + "]"));
        REGISTRY.answer("GET", "/internal/functions/a", Answer.json(200, VIEW.formatted("a")));
        REGISTRY.answer("DELETE", "/internal/functions/a", Answer.empty(204));

        HttpResponse<byte[]> list = get("/functions");
        HttpResponse<byte[]> describe = get("/functions/a");
        HttpResponse<byte[]> delete = send(request("/functions/a").DELETE());

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(text(list)).isEqualTo("[" + VIEW.formatted("a") + "]");
        assertThat(list.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(describe.statusCode()).isEqualTo(200);
        assertThat(text(describe)).isEqualTo(VIEW.formatted("a"));
        assertThat(delete.statusCode()).isEqualTo(204);
        assertThat(delete.body()).isEmpty();
        // a delete makes no new version: the scheduler forgets every reference of the function
        assertThat(SCHEDULER.last("DELETE", "/internal/function-cache/a").query()).isNull();
    }

    @Test
    void passesTheRegistrys404ForAnUnknownFunctionThrough() throws Exception {
        String notFound = "{\"type\":\"urn:cloudfunc:problem:function-not-found\",\"title\":\"Function not found\","
                + "\"status\":404,\"detail\":\"No function named 'ghost'.\",\"functionName\":\"ghost\","
                + "\"instance\":\"/internal/functions/ghost\"}";
        REGISTRY.answer("GET", "/internal/functions/ghost", Answer.problem(404, notFound));

        HttpResponse<byte[]> response = get("/functions/ghost");

        assertProblem(response, 404, "function-not-found");
        assertThat(text(response)).isEqualTo(notFound.replace("/internal/functions/ghost", "/functions/ghost"));
    }

    private HttpResponse<byte[]> put(String path, String json) throws Exception {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    void forwardsTheHttpAccessAndWebhookSecretOfAnUpdateAndOfASeedShapedOne() throws Exception {
        REGISTRY.answer("PUT", "/internal/functions/hooked", Answer.json(200, VIEW.formatted("hooked")));

        HttpResponse<byte[]> native_ = put("/functions/hooked",
                "{\"httpAccess\":\"webhook\",\"webhookSecret\":\"s3cret\"}");
        JsonNode first = JSON.readTree(REGISTRY.last("PUT", "/internal/functions/hooked").body());
        HttpResponse<byte[]> seed = put("/functions/hooked", "{\"httpAccess\":\"public\",\"config\":{\"timeout\":5}}");
        JsonNode second = JSON.readTree(REGISTRY.last("PUT", "/internal/functions/hooked").body());

        assertThat(native_.statusCode()).as(text(native_)).isEqualTo(200);
        assertThat(first.path("httpAccess").asString()).isEqualTo("webhook");
        assertThat(first.path("webhookSecret").asString()).isEqualTo("s3cret");
        assertThat(seed.statusCode()).as(text(seed)).isEqualTo(200);
        assertThat(second.path("httpAccess").asString()).isEqualTo("public");
        assertThat(second.path("timeoutMs").asLong()).isEqualTo(5000);
    }

    @Test
    void forwardsAConfigurationUpdateAsJson() throws Exception {
        REGISTRY.answer("PUT", "/internal/functions/configured", Answer.json(200, VIEW.formatted("configured")));

        HttpResponse<byte[]> response = put("/functions/configured", "{\"memoryMb\":256}");

        assertThat(response.statusCode()).isEqualTo(200);
        var forwarded = REGISTRY.last("PUT", "/internal/functions/configured");
        assertThat(forwarded.contentType()).startsWith("application/json");
        JsonNode changes = JSON.readTree(forwarded.body());
        assertThat(changes.path("memoryMb").asInt()).isEqualTo(256);
        assertThat(changes.has("code")).isFalse();
        assertThat(SCHEDULER.received("DELETE", "/internal/function-cache/configured"))
                .extracting(StubService.Received::query).contains("version=1");
    }

    @Test
    void anUpdateWithCodeSendsItAsTheHandlersModuleWithTheChanges() throws Exception {
        REGISTRY.answer("GET", "/internal/functions/recoded", Answer.json(200, VIEW.formatted("recoded")));
        REGISTRY.answer("PUT", "/internal/functions/recoded", Answer.json(200, VIEW.formatted("recoded")));
        String code = "def handler(event, context):\n    return {'result': 'updated'}\n";

        HttpResponse<byte[]> response = put("/functions/recoded",
                JSON.writeValueAsString(Map.of("code", code, "timeoutMs", 60000)));

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(text(response)).isEqualTo(VIEW.formatted("recoded"));
        var forwarded = REGISTRY.last("PUT", "/internal/functions/recoded");
        assertThat(forwarded.contentType()).startsWith("multipart/form-data; boundary=");
        var parts = Multipart.parse(forwarded.contentType(), forwarded.body());
        // the latest version's handler is function.handler: the code is its module, function.py
        assertThat(Zips.entries(parts.get("code").content())).containsExactly(Map.entry("function.py", code));
        JsonNode changes = JSON.readTree(parts.get("metadata").content());
        assertThat(changes.path("timeoutMs").asLong()).isEqualTo(60000);
        assertThat(changes.has("code")).isFalse();
        assertThat(SCHEDULER.received("DELETE", "/internal/function-cache/recoded"))
                .extracting(StubService.Received::query).contains("version=1");
    }

    @Test
    void anUpdateWithCodeAndAHandlerOrARuntimePutsTheCodeWhereThatHandlerLives() throws Exception {
        REGISTRY.answer("GET", "/internal/functions/moved", Answer.json(200, VIEW.formatted("moved")));
        REGISTRY.answer("PUT", "/internal/functions/moved", Answer.json(200, VIEW.formatted("moved")));

        assertThat(put("/functions/moved", "{\"code\":\"x = 1\",\"handler\":\"app.main\"}").statusCode())
                .isEqualTo(200);
        var withHandler = REGISTRY.last("PUT", "/internal/functions/moved");
        assertThat(Zips.entries(Multipart.parse(withHandler.contentType(), withHandler.body()).get("code").content()))
                .containsOnlyKeys("app.py");

        assertThat(put("/functions/moved", "{\"code\":\"x = 1\",\"runtime\":\"node\"}").statusCode())
                .isEqualTo(200);
        var withRuntime = REGISTRY.last("PUT", "/internal/functions/moved");
        assertThat(Zips.entries(Multipart.parse(withRuntime.contentType(), withRuntime.body()).get("code").content()))
                .containsOnlyKeys("index.js");
    }

    @Test
    void anUpdateWithCodeOfAnUnknownFunctionIsTheRegistrys404AndSendsNothing() throws Exception {
        String notFound = "{\"type\":\"urn:cloudfunc:problem:function-not-found\",\"title\":\"Function not found\","
                + "\"status\":404,\"detail\":\"No function named 'phantom'.\",\"functionName\":\"phantom\"}";
        REGISTRY.answer("GET", "/internal/functions/phantom", Answer.problem(404, notFound));

        assertProblem(put("/functions/phantom", "{\"code\":\"x = 1\"}"), 404, "function-not-found");
        assertThat(REGISTRY.received("PUT", "/internal/functions/phantom")).isEmpty();
    }

    @Test
    void rejectsAnUpdateWithBlankCodeOrUnknownFieldsOrAnOversizedConfiguration() throws Exception {
        assertProblem(put("/functions/strict", "{\"code\":\" \"}"), 400, "invalid-request");
        JsonNode unknown = assertProblem(put("/functions/strict", "{\"cod\":\"x = 1\"}"), 400, "invalid-request");
        assertThat(unknown.path("detail").asString()).contains("cod");
        assertProblem(put("/functions/strict", "{\"handler\":\"" + "x".repeat(2_000_000) + "\"}"), 413,
                "payload-too-large");
        assertThat(REGISTRY.received("PUT", "/internal/functions/strict")).isEmpty();
    }

    @Test
    void rejectsInvalidNamesOnDescribeAndDelete() throws Exception {
        assertProblem(get("/functions/-dash"), 400, "invalid-request");
        assertProblem(get("/functions/_underscore"), 400, "invalid-request");
        assertProblem(get("/functions/" + "a".repeat(64)), 400, "invalid-request");
        assertProblem(send(request("/functions/UPPER").DELETE()), 400, "invalid-request");
    }

    @Test
    void relaysInvocationRecordsAndRejectsMalformedIds() throws Exception {
        String id = "3f1c2b9e-6d2a-4c51-9a43-0c2f5e7d8b10";
        REGISTRY.answer("GET", "/internal/invocations/" + id, Answer.json(200, "{\"id\":\"" + id + "\"}"));

        HttpResponse<byte[]> found = get("/invocations/" + id);

        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(text(found)).contains(id);
        assertProblem(get("/invocations/not-a-uuid"), 400, "invalid-request");
    }

    @Test
    void answersUnknownPathsAndWrongMethodsWithProblems() throws Exception {
        assertProblem(get("/no/such/thing"), 404, "not-found");
        assertProblem(send(request("/functions").PUT(HttpRequest.BodyPublishers.noBody())), 405, "method-not-allowed");
        assertProblem(get("/functions/a/invoke"), 405, "method-not-allowed");
    }
}

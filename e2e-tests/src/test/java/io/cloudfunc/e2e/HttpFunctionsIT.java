package io.cloudfunc.e2e;

import static io.cloudfunc.e2e.Api.post;
import static io.cloudfunc.e2e.Api.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Functions that answer HTTP requests, through the whole platform: seed 002's {@code handle(request)} functions as
 * the seed writes them, and {@code ANY /fn/{name}[/{path}]} with the request as a function URL payload 2.0 for
 * Python, Node and Java handlers.
 */
@ExtendWith(SharedPlatform.class)
class HttpFunctionsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path ROOT = Path.of(System.getProperty("cloudfunc.root", "..")).toAbsolutePath().normalize();

    /** Seed 002's create body with {@code code} read from the example, unchanged. */
    private static void deploySeedFunction(String name, String example) throws Exception {
        String code = Files.readString(ROOT.resolve("runtimes/python/example/" + example + "/function.py"));
        String body = "{\"name\":\"" + name + "\",\"code\":" + JSON.writeValueAsString(code)
                + ",\"config\":{\"execution_mode\":\"process\",\"timeout\":30,\"memory\":\"128Mi\"}}";
        HttpResponse<String> created = post("/functions", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).path("handler").asString()).isEqualTo("function.handle");
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(Api.uri(path)).header("Content-Type", "application/json")
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body)));
    }

    @Test
    void seed002sEchoFunctionRunsUnchangedOnTheInvokeRouteAndAsAnHttpFunction() throws Exception {
        deploySeedFunction("seed-echo", "seed_echo");

        HttpResponse<String> invoked = post("/invoke/seed-echo", "application/json",
                "{\"name\": \"AITest\", \"test\": true}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> put = call("PUT", "/fn/seed-echo/items/1?x=1", "{\"qty\": 2}");

        assertThat(invoked.statusCode()).as(invoked.body()).isEqualTo(200);
        assertThat(JSON.readTree(invoked.body()))
                .isEqualTo(JSON.readTree("{\"echo\": {\"name\": \"AITest\", \"test\": true}, \"method\": \"POST\"}"));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(put.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(put.body())).isEqualTo(JSON.readTree("{\"echo\": {\"qty\": 2}, \"method\": \"PUT\"}"));
    }

    @Test
    void seed002sMathFunctionRunsUnchanged() throws Exception {
        deploySeedFunction("seed-math", "seed_math");

        HttpResponse<String> added = post("/invoke/seed-math", "application/json",
                "{\"a\": 2, \"b\": 3}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> multiplied = call("POST", "/fn/seed-math", "{\"a\": 4, \"b\": 5, \"operation\": \"multiply\"}");

        assertThat(JSON.readTree(added.body()))
                .isEqualTo(JSON.readTree("{\"result\": 5, \"operation\": \"add\", \"inputs\": {\"a\": 2, \"b\": 3}}"));
        assertThat(JSON.readTree(multiplied.body()))
                .isEqualTo(JSON.readTree("{\"result\": 20, \"operation\": \"multiply\", \"inputs\": {\"a\": 4, \"b\": 5}}"));
    }

    @Test
    void aPythonHandlerGetsThePayloadAndAnswersWithItsOwnResponse() throws Exception {
        Api.deployInline("http-py", """
                import base64
                def handler(event, context):
                    http = event["requestContext"]["http"]
                    return {"statusCode": 201,
                            "headers": {"content-type": "text/plain", "x-path": http["path"],
                                        "x-auth-seen": str("authorization" in event["headers"]),
                                        "connection": "close"},
                            "cookies": ["seen=1; Path=/fn/http-py"],
                            "body": http["method"] + " " + event["rawQueryString"] + " "
                                    + base64.b64decode(event["body"]).hex(),
                            "isBase64Encoded": False}
                """);

        HttpResponse<String> response = send(HttpRequest.newBuilder(Api.uri("/fn/http-py/a/b?q=1"))
                .header("Content-Type", "application/octet-stream")
                .method("PATCH", BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, 0, 1})));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("PATCH q=1 ff0001");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(response.headers().firstValue("X-Path")).hasValue("/a/b");
        assertThat(response.headers().firstValue("X-Auth-Seen")).as("the API key is not shown").hasValue("False");
        assertThat(response.headers().firstValue("Set-Cookie")).hasValue("seen=1; Path=/fn/http-py");
        assertThat(response.headers().firstValue("X-CloudFunc-Invocation-Id")).isPresent();
    }

    @Test
    void aNodeHandlerGetsThePayloadAsItsEvent() throws Exception {
        byte[] archive = Api.zip(Map.of("index.js", """
                exports.handler = async (event) => ({
                  statusCode: 202,
                  headers: {'content-type': 'application/json'},
                  body: JSON.stringify({method: event.requestContext.http.method, path: event.rawPath,
                                        query: event.queryStringParameters, got: JSON.parse(event.body)}),
                });
                """));
        HttpResponse<String> deployed = Api.deploy(
                "{\"name\":\"http-node\",\"runtime\":\"node\",\"handler\":\"index.handler\"}", archive);
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);

        HttpResponse<String> response = call("POST", "/fn/http-node/x?k=v", "{\"n\": 1}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body).isEqualTo(JSON.readTree(
                "{\"method\": \"POST\", \"path\": \"/x\", \"query\": {\"k\": \"v\"}, \"got\": {\"n\": 1}}"));
    }
    @Test
    void aJavaHandlerGetsThePayloadAsItsEventAndAnswersWithItsOwnResponse() throws Exception {
        Path folder = Files.createDirectories(SharedPlatform.get().workDir.resolve("http-java"));
        Files.writeString(folder.resolve("HttpEcho.java"), """
                import java.util.Map;

                public class HttpEcho {
                    public static Map<String, Object> handle(Map<String, Object> event) {
                        Map<?, ?> http = (Map<?, ?>) ((Map<?, ?>) event.get("requestContext")).get("http");
                        return Map.of("statusCode", 203, "headers", Map.of("content-type", "text/plain"),
                                "body", http.get("method") + " " + event.get("rawPath") + " "
                                        + event.get("queryStringParameters") + " " + event.get("body"));
                    }
                }
                """);
        Process javac = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "--release", "25", "-d", folder.resolve("build").toString(), folder.resolve("HttpEcho.java").toString())
                .inheritIO().start();
        assertThat(javac.waitFor()).isZero();
        Api.CliRun deploy = Api.cli("deploy", folder.resolve("build").toString(), "--name", "http-java", "--runtime",
                "java", "--handler", "HttpEcho::handle");
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();

        HttpResponse<String> response = call("PUT", "/fn/http-java/items/7?k=v", "{\"n\": 1}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(203);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(response.body()).isEqualTo("PUT /items/7 {k=v} {\"n\": 1}");
    }

    @Test
    void aPublicFunctionAnswersWithoutAKeyAndAKeyProtectedOneAnswers401() throws Exception {
        Path open = Api.functionDir("http_public", "def handler(event):\n    return {'open': True}\n");
        Path keyed = Api.functionDir("http_keyed", "def handler(event):\n    return {'open': False}\n");
        Api.CliRun deployOpen = Api.cli("deploy", open.toString(), "--http-access", "public");
        Api.CliRun deployKeyed = Api.cli("deploy", keyed.toString());
        assertThat(deployOpen.exitCode()).as(deployOpen.err()).isZero();
        assertThat(deployKeyed.exitCode()).as(deployKeyed.err()).isZero();

        HttpResponse<String> anonymousOpen = Api.sendAs(null, HttpRequest.newBuilder(Api.uri("/fn/http_public")).GET());
        HttpResponse<String> anonymousKeyed = Api.sendAs(null, HttpRequest.newBuilder(Api.uri("/fn/http_keyed")).GET());
        HttpResponse<String> withKey = send(HttpRequest.newBuilder(Api.uri("/fn/http_keyed")).GET());

        assertThat(anonymousOpen.statusCode()).as(anonymousOpen.body()).isEqualTo(200);
        assertThat(JSON.readTree(anonymousOpen.body())).isEqualTo(JSON.readTree("{\"open\": true}"));
        assertThat(anonymousKeyed.statusCode()).as(anonymousKeyed.body()).isEqualTo(401);
        assertThat(anonymousKeyed.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(withKey.statusCode()).as(withKey.body()).isEqualTo(200);
        Api.CliRun describe = Api.cli("describe", "http_public");
        assertThat(describe.out()).containsPattern("HTTP access:\\s+public");
        // the API beside it still needs a key
        assertThat(Api.sendAs(null, HttpRequest.newBuilder(Api.uri("/functions/http_public")).GET()).statusCode())
                .isEqualTo(401);
    }

    @Test
    void aWebhookFunctionAnswers401ToABadSignatureAnd200ToAGoodOne() throws Exception {
        byte[] archive = Api.zip(Map.of("function.py", """
                def handler(event):
                    return {"event": event["headers"].get("x-github-event"), "body": event["body"]}
                """));
        HttpResponse<String> deployed = Api.deploy("{\"name\":\"http-hook\",\"runtime\":\"python\","
                + "\"handler\":\"function.handler\",\"httpAccess\":\"webhook\","
                + "\"webhookSecret\":\"It's a Secret to Everybody\"}", archive);
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
        assertThat(JSON.readTree(deployed.body()).path("httpAccess").asString()).isEqualTo("webhook");
        assertThat(deployed.body()).doesNotContain("Secret to Everybody");
        String body = "Hello, World!";
        String good = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

        HttpResponse<String> bad = Api.sendAs(null, HttpRequest.newBuilder(Api.uri("/fn/http-hook"))
                .header("X-Hub-Signature-256", "sha256=" + "0".repeat(64)).POST(BodyPublishers.ofString(body)));
        HttpResponse<String> ok = Api.sendAs(null, HttpRequest.newBuilder(Api.uri("/fn/http-hook"))
                .header("X-Hub-Signature-256", good).header("X-GitHub-Event", "push")
                .POST(BodyPublishers.ofString(body)));

        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(401);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body())).isEqualTo(JSON.readTree(
                "{\"event\": \"push\", \"body\": \"Hello, World!\"}"));
        // webhook without a secret is refused, saying so
        Api.deployInline("http-no-secret", "def handler(event):\n    return 1\n");
        HttpResponse<String> noSecret = Api.put("/functions/http-no-secret", "{\"httpAccess\":\"webhook\"}");
        assertThat(noSecret.statusCode()).as(noSecret.body()).isEqualTo(400);
        assertThat(noSecret.body()).contains("httpAccess webhook needs a webhookSecret");
        HttpResponse<String> refused = Api.put("/functions/http-hook", "{\"httpAccess\":\"sometimes\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("httpAccess must be one of key, public, webhook");
    }
}

package io.cloudfunc.gateway.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.messaging.InvocationHeaders;
import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import io.cloudfunc.gateway.support.StubIntake;
import io.cloudfunc.gateway.support.StubService;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code ANY /fn/{ref}[/{path}]}: the request as a function URL payload 2.0 on the intake queue, the result as HTTP. */
class HttpFunctionIT extends GatewayIntegrationTest {

    private static final String ID = "1c6f3c8e-2f0e-4f5b-9d7c-1a2b3c4d5e6f";

    private static StubIntake.Reply succeeded(String name, String result) {
        return StubIntake.Reply.completed("{\"invocationId\":\"" + ID + "\",\"functionName\":\"" + name
                + "\",\"version\":2,\"status\":\"SUCCEEDED\",\"startType\":\"WARM\",\"logs\":\"\","
                + "\"startedAt\":\"2026-01-01T00:00:00Z\",\"finishedAt\":\"2026-01-01T00:00:00.004Z\","
                + "\"durationMs\":4,\"result\":" + result + "}");
    }

    private JsonNode forwarded(String reference) {
        return JSON.readTree(INTAKE.last(reference).body());
    }

    @Test
    void sendsTheWholeRequestAsAFunctionUrlPayloadWithoutTheApiKey() throws Exception {
        INTAKE.answer("echo-http", succeeded("echo-http", "{\"ok\":true}"));

        HttpResponse<byte[]> response = send(request("/fn/echo-http/orders/7?page=2&tag=a&tag=b", INVOKER)
                .header("Content-Type", "application/json")
                .header("X-Trace", "abc")
                .header("Cookie", "session=s1; theme=dark")
                .method("PUT", HttpRequest.BodyPublishers.ofString("{\"qty\": 3}")));

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"ok\":true}"));
        assertThat(response.headers().firstValue("X-CloudFunc-Invocation-Id")).hasValue(ID);
        JsonNode event = forwarded("echo-http");
        assertThat(event.path("version").asString()).isEqualTo("2.0");
        assertThat(event.path("rawPath").asString()).isEqualTo("/orders/7");
        assertThat(event.path("rawQueryString").asString()).isEqualTo("page=2&tag=a&tag=b");
        assertThat(event.path("queryStringParameters")).isEqualTo(JSON.readTree("{\"page\":\"2\",\"tag\":\"a,b\"}"));
        assertThat(event.path("requestContext").path("http").path("method").asString()).isEqualTo("PUT");
        assertThat(event.path("requestContext").path("http").path("path").asString()).isEqualTo("/orders/7");
        assertThat(event.path("requestContext").path("http").path("sourceIp").asString()).isEqualTo("127.0.0.1");
        assertThat(event.path("headers").path("x-trace").asString()).isEqualTo("abc");
        assertThat(event.path("headers").path("content-type").asString()).isEqualTo("application/json");
        assertThat(event.path("headers").has("authorization")).as("the caller's API key is hidden").isFalse();
        assertThat(event.path("headers").has("cookie")).isFalse();
        assertThat(event.path("cookies")).isEqualTo(JSON.readTree("[\"session=s1\",\"theme=dark\"]"));
        assertThat(event.path("body").asString()).isEqualTo("{\"qty\": 3}");
        assertThat(event.path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(INTAKE.last("echo-http").header(InvocationHeaders.MODE)).isEqualTo("SYNC");
    }

    @Test
    void sendsABodyThatIsNotUtf8AsBase64() throws Exception {
        INTAKE.answer("bin", succeeded("bin", "1"));
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff};

        HttpResponse<byte[]> response = send(request("/fn/bin", INVOKER)
                .POST(HttpRequest.BodyPublishers.ofByteArray(png)));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode event = forwarded("bin");
        assertThat(event.path("rawPath").asString()).isEqualTo("/");
        assertThat(event.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(event.path("body").asString())).isEqualTo(png);
    }

    @Test
    void answersTheResponseTheFunctionBuiltAndDropsHeadersItMayNotSet() throws Exception {
        INTAKE.answer("made:prod", succeeded("made", """
                {"statusCode": 201, "headers": {"Location": "/fn/made/items/9", "Content-Type": "text/plain",
                 "Connection": "close", "Transfer-Encoding": "chunked", "X-CloudFunc-Status": "FORGED"},
                 "cookies": ["a=1; Path=/fn/made", "b=2; Path=/", "c=3; Path=/fn/made-other"], "body": "created"}"""));

        HttpResponse<byte[]> response = send(request("/fn/made:prod/items", INVOKER)
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(text(response)).isEqualTo("created");
        assertThat(response.headers().firstValue("Location")).hasValue("/fn/made/items/9");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(response.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(response.headers().firstValue("X-CloudFunc-Status")).hasValue("SUCCEEDED");
        assertThat(response.headers().allValues("Set-Cookie")).containsExactly("a=1; Path=/fn/made");
    }

    @Test
    void answersABase64BodyAsItsBytes() throws Exception {
        INTAKE.answer("image", succeeded("image", "{\"statusCode\": 200, \"headers\": {\"content-type\": "
                + "\"image/png\"}, \"body\": \"iVBORw==\", \"isBase64Encoded\": true}"));

        HttpResponse<byte[]> response = send(request("/fn/image", INVOKER).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(Base64.getDecoder().decode("iVBORw=="));
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(forwarded("image").path("requestContext").path("http").path("method").asString())
                .isEqualTo("GET");
    }

    @Test
    void answersAPlainValueAs200Json() throws Exception {
        INTAKE.answer("plain", succeeded("plain", "{\"echo\": {\"a\": 1}, \"method\": \"POST\"}"));

        HttpResponse<byte[]> response = send(request("/fn/plain", INVOKER)
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\": 1}")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"echo\":{\"a\":1},\"method\":\"POST\"}"));
    }

    @Test
    void answers502WhenTheStatusCodeIsNotAnHttpStatus() throws Exception {
        INTAKE.answer("bad-status", succeeded("bad-status", "{\"statusCode\": 42}"));

        HttpResponse<byte[]> response = send(request("/fn/bad-status", INVOKER).GET());

        assertProblem(response, 502, "function-error");
    }

    @Test
    void needsAnApiKeyByDefault() throws Exception {
        HttpResponse<byte[]> response = send(request("/fn/keyed", null).GET());

        assertProblem(response, 401, "unauthorized");
        assertThat(INTAKE.received("keyed")).as("nothing published").isEmpty();
    }

    @Test
    void answers400ForAnInvalidFunctionName() throws Exception {
        HttpResponse<byte[]> response = send(request("/fn/Bad%20Name/x", INVOKER).GET());

        assertProblem(response, 400, "invalid-request");
        assertThat(text(response)).contains("Bad Name");
    }

    @Test
    void passesOnTheSchedulersProblem() throws Exception {
        INTAKE.answer("missing", StubIntake.Reply.problem("{\"type\":\"urn:cloudfunc:problem:function-not-found\","
                + "\"title\":\"Function not found\",\"status\":404,\"detail\":\"No function 'missing'.\"}"));

        HttpResponse<byte[]> response = send(request("/fn/missing/a/b", INVOKER).DELETE());

        assertProblem(response, 404, "function-not-found");
        assertThat(text(response)).contains("\"instance\":\"/fn/missing/a/b\"");
    }
    @Test
    void aPublicFunctionAnswersWithoutAKeyAndRecordsNoKey() throws Exception {
        REGISTRY.answer("GET", "/internal/functions/open/http-access",
                StubService.Answer.json(200, "{\"mode\":\"public\",\"webhookSecret\":null}"));
        INTAKE.answer("open", succeeded("open", "{\"hi\":1}"));

        HttpResponse<byte[]> response = send(request("/fn/open/x", null).GET());

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(INTAKE.last("open").header(InvocationHeaders.API_KEY_ID)).isNull();
    }

    @Test
    void aWebhookFunctionTakesAMatchingSignatureAndRefusesAnyOther() throws Exception {
        REGISTRY.answer("GET", "/internal/functions/hook/http-access",
                StubService.Answer.json(200, "{\"mode\":\"webhook\",\"webhookSecret\":\"It's a Secret to Everybody\"}"));
        INTAKE.answer("hook", succeeded("hook", "\"ok\""));
        // GitHub's documented example: this secret and body give this signature
        String good = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

        HttpResponse<byte[]> signed = send(request("/fn/hook", null).header("X-Hub-Signature-256", good)
                .POST(HttpRequest.BodyPublishers.ofString("Hello, World!")));
        HttpResponse<byte[]> forged = send(request("/fn/hook", null).header("X-Hub-Signature-256",
                good.replace("757", "000")).POST(HttpRequest.BodyPublishers.ofString("Hello, World!")));
        HttpResponse<byte[]> unsigned = send(request("/fn/hook", null)
                .POST(HttpRequest.BodyPublishers.ofString("Hello, World!")));

        assertThat(signed.statusCode()).as(text(signed)).isEqualTo(200);
        assertProblem(forged, 401, "unauthorized");
        assertProblem(unsigned, 401, "unauthorized");
        assertThat(text(unsigned)).contains("X-Hub-Signature-256");
        assertThat(INTAKE.received("hook")).as("only the signed call was published").hasSize(1);
    }
    @Test
    void aPathThatOnlyLooksLikeAnHttpFunctionStillNeedsAKey() throws Exception {
        REGISTRY.answer("GET", "/internal/functions", StubService.Answer.json(200, "[]"));
        int listedBefore = REGISTRY.received("GET", "/internal/functions").size(); // other classes' lists

        for (String path : new String[] {"/fn/x/../../functions", "/fn/%2e%2e/functions", "/fn/../functions"}) {
            HttpResponse<byte[]> response = send(request(path, null).GET());

            assertThat(response.statusCode()).as(path + ": " + text(response)).isIn(400, 401, 404);
        }
        assertThat(REGISTRY.received("GET", "/internal/functions")).as("the list was never asked for")
                .hasSize(listedBefore);
    }
}

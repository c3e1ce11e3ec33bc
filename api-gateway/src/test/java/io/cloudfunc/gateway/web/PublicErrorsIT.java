package io.cloudfunc.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import io.cloudfunc.gateway.support.StubIntake;
import io.cloudfunc.gateway.support.StubService.Answer;
import io.cloudfunc.support.problem.Problems;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * No public error names an internal path or file: every problem the gateway answers, its own or one relayed from the
 * registry, the scheduler or a container-manager (whose {@code instance} is their internal URL and whose title may be
 * Spring's), has the public path as its {@code instance} and its type's title.
 */
class PublicErrorsIT extends GatewayIntegrationTest {

    private static final String INVOCATION = "3f1c2b9e-6d2a-4c51-9a43-0c2f5e7d8b10";
    private static final String KEY = "00000000-0000-4000-8000-00000000000a";
    /** What must never reach a caller: an internal API path, a temporary or Docker data file. */
    private static final Pattern INTERNAL = Pattern.compile(
            "/internal/|/tmp/|/var/lib/docker|docker-import|cloudfunc-image-|\\.tmp\\b|/error\\b");

    /** One public request that fails, and the public path its problem must name. */
    private record Call(String path, HttpRequest.Builder request) {
    }

    @Test
    void noProblemNamesAnInternalPathOrFileAndEachHasItsTypesTitle() throws Exception {
        MANAGER.answer("DELETE", "/internal/instances/abc123", Answer.problem(409,
                "{\"type\":\"urn:cloudfunc:problem:instance-busy\",\"title\":\"Conflict\",\"status\":409,"
                        + "\"detail\":\"instance abc123 is serving a call; stop it when it is idle\","
                        + "\"instance\":\"/internal/instances/abc123\",\"instanceId\":\"abc123\"}"));
        MANAGER.answer("POST", "/internal/images", Answer.problem(400,
                "{\"type\":\"urn:cloudfunc:problem:invalid-image-archive\",\"title\":\"Bad Request\",\"status\":400,"
                        + "\"detail\":\"The Docker engine could not load the archive: open repositories: no such file"
                        + " or directory\",\"instance\":\"/internal/images\"}"));
        INTAKE.answer("ghost", StubIntake.Reply.problem("{\"type\":\"urn:cloudfunc:problem:function-not-found\","
                + "\"title\":\"Not Found\",\"status\":404,\"detail\":\"no function named 'ghost'\","
                + "\"instance\":\"/internal/functions/ghost/versions/latest\",\"functionName\":\"ghost\"}"));
        byte[] tar = new byte[1024];
        System.arraycopy("ustar".getBytes(StandardCharsets.US_ASCII), 0, tar, 257, 5);

        List<Call> calls = new ArrayList<>();
        for (String path : List.of("/functions/ghost", "/functions/ghost/versions", "/functions/ghost/versions/2",
                "/functions/ghost/aliases", "/functions/ghost/aliases/prod", "/functions/ghost/invocations",
                "/functions/ghost/logs", "/functions/ghost/stats", "/invocations/" + INVOCATION,
                "/invocations/" + INVOCATION + "/logs", "/keys/" + KEY, "/stats", "/dead-letters", "/images",
                "/no/such/path", "/functions/Bad_Name", "/invocations/not-a-uuid")) {
            calls.add(new Call(path, request(path).GET()));
        }
        calls.add(new Call("/functions/ghost", request("/functions/ghost").DELETE()));
        calls.add(new Call("/keys/" + KEY, request("/keys/" + KEY).DELETE()));
        calls.add(new Call("/instances/abc123", request("/instances/abc123").DELETE()));
        calls.add(new Call("/instances/def456", request("/instances/def456").DELETE()));
        calls.add(new Call("/images", request("/images").header("Content-Type", "application/x-tar")
                .POST(HttpRequest.BodyPublishers.ofByteArray(tar))));
        calls.add(new Call("/images", request("/images").header("Content-Type", "application/x-tar")
                .POST(HttpRequest.BodyPublishers.ofString("not a tar"))));
        calls.add(new Call("/functions/ghost/invoke", request("/functions/ghost/invoke")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))));
        calls.add(new Call("/functions/ghost", request("/functions/ghost").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"timeoutMs\":1000}"))));
        calls.add(new Call("/functions/ghost/aliases/prod", request("/functions/ghost/aliases/prod")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"version\":1}"))));
        calls.add(new Call("/keys", request("/keys").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"k\",\"role\":\"admin\",\"x\":1}"))));
        calls.add(new Call("/functions", request("/functions").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x"))));
        calls.add(new Call("/functions", request("/functions").PUT(HttpRequest.BodyPublishers.ofString("{}"))));
        calls.add(new Call("/functions", request("/functions", null).GET()));

        var softly = new SoftAssertions();
        for (Call call : calls) {
            HttpResponse<byte[]> response = send(call.request());
            String body = text(response);
            String what = response.request().method() + " " + response.request().uri().getPath() + " -> "
                    + response.statusCode() + " " + body;
            softly.assertThat(response.statusCode()).as(what).isBetween(400, 599);
            softly.assertThat(response.headers().firstValue("Content-Type")).as(what)
                    .hasValue("application/problem+json");
            softly.assertThat(INTERNAL.matcher(body).find()).as(what).isFalse();
            JsonNode problem = JSON.readTree(response.body());
            softly.assertThat(problem.path("instance").asString()).as(what).isEqualTo(call.path());
            softly.assertThat(problem.path("title").asString()).as(what)
                    .isEqualTo(Problems.titleFor(URI.create(problem.path("type").asString())));
        }
        softly.assertAll();
    }
}

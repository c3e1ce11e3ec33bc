package io.cloudfunc.e2e;

import static io.cloudfunc.e2e.Api.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 004's quick start as its reader would type it, with the key header: {@code docker save} an image, upload it
 * with {@code curl -F image=@...}, register it with {@code {"name": ..., "image": ...}}, invoke it on
 * {@code POST /invoke/{name}} with {@code {"event": {...}, "timeout": 30}}; and that the timeout is applied.
 */
@ExtendWith(SharedPlatform.class)
class Seed004IT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TAG = "cloudfunc-e2e/hello-python-" + SharedPlatform.get().id + ":latest";

    @AfterAll
    static void removeImage() throws Exception {
        new ProcessBuilder("docker", "rmi", "-f", TAG).redirectErrorStream(true).start().waitFor();
    }

    @Test
    void uploadWithACurlFormRegisterByImageAndInvokeWithTheSeedsBody() throws Exception {
        Platform platform = SharedPlatform.get();
        // the seed's "docker save my-function:latest > my-function.tar", of the README's stdin/stdout example image
        Platform.docker("build", "-q", "-t", TAG, "--build-arg", "BASE_IMAGE=" + Platform.pythonBaseImage(),
                platform.repository("runtimes/image/example/stdio-hello").toString());
        Path archive = platform.workDir.resolve("my-function.tar");
        Platform.docker("save", "-o", archive.toString(), TAG);
        Platform.docker("rmi", TAG); // only the upload can bring it back

        // curl -X POST http://localhost:8300/images -F "image=@my-function.tar", with the key
        Process curl = new ProcessBuilder("curl", "-sS", "-w", "\n%{http_code}", "-X", "POST",
                Api.uri("/images").toString(), "-H", "Authorization: Bearer " + platform.adminKey,
                "-F", "image=@" + archive).redirectErrorStream(true).start();
        String uploaded = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).as(uploaded).isZero();
        assertThat(uploaded).endsWith("\n200").contains(TAG);

        // the seed's "Register the Function" body: a name and an image, no runtime
        HttpResponse<String> registered = post("/functions", "application/json", """
                {
                  "name": "hello-python",
                  "image": "%s"
                }
                """.formatted(TAG).getBytes(StandardCharsets.UTF_8));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        JsonNode function = JSON.readTree(registered.body());
        assertThat(function.path("runtime").asString()).isEqualTo("image");
        assertThat(function.path("image").asString()).isEqualTo(TAG);

        // the seed's "Invoke the Function" body, word for word: the function gets the event alone
        HttpResponse<String> seedBody = post("/invoke/hello-python", "application/json", """
                {
                  "event": {
                    "message": "Hello from Mini Lambda!"
                  },
                  "timeout": 30
                }
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(seedBody.statusCode()).as(seedBody.body()).isEqualTo(200);
        assertThat(JSON.readTree(seedBody.body()).path("message").asString()).isEqualTo("Hello World!");
        // the example greets event.name: the name inside "event" reaching it shows that the event was unwrapped
        HttpResponse<String> named = post("/invoke/hello-python", "application/json",
                "{\"event\": {\"name\": \"Alice\"}, \"timeout\": 30}".getBytes(StandardCharsets.UTF_8));
        assertThat(named.statusCode()).as(named.body()).isEqualTo(200);
        assertThat(JSON.readTree(named.body()).path("message").asString()).isEqualTo("Hello Alice!");
    }

    @Test
    void theCallsTimeoutCutsAFunctionShorterThanItsOwn() throws Exception {
        Api.deployInline("seed004-sleeper", """
                import time

                def handler(event, context):
                    time.sleep(event.get("seconds", 0))
                    return {"slept": event.get("seconds", 0)}
                """);

        HttpResponse<String> seedBody = post("/invoke/seed004-sleeper", "application/json",
                "{\"event\": {\"seconds\": 4}, \"timeout\": 1}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> query = post("/functions/seed004-sleeper/invoke?timeout=1", "application/json",
                "{\"seconds\": 4}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> inTime = post("/invoke/seed004-sleeper", "application/json",
                "{\"event\": {\"seconds\": 0}, \"timeout\": 20}".getBytes(StandardCharsets.UTF_8));

        for (HttpResponse<String> timedOut : List.of(seedBody, query)) {
            assertThat(timedOut.statusCode()).as(timedOut.body()).isEqualTo(504);
            assertThat(timedOut.body()).contains("function-timeout");
        }
        assertThat(inTime.statusCode()).as(inTime.body()).isEqualTo(200);
        assertThat(JSON.readTree(inTime.body()).path("slept").asInt()).isZero();
    }
}

package io.cloudfunc.e2e;

import static io.cloudfunc.e2e.Api.awaitFinalRecord;
import static io.cloudfunc.e2e.Api.deployInline;
import static io.cloudfunc.e2e.Api.post;
import static io.cloudfunc.e2e.Api.send;
import static io.cloudfunc.e2e.Api.sendAs;
import static io.cloudfunc.e2e.Api.uri;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Idempotency-Key} through the whole platform (issue 15): a retry with the same key gets the first call's
 * invocation and does not run the function again, for synchronous and asynchronous calls; a key reused for another
 * request is a 422; a retry while the first call runs is a 409; a call the platform did not take frees its key; keys
 * of different API keys never meet. The functions return a fresh random value per run, so a second run would show.
 */
@ExtendWith(SharedPlatform.class)
class IdempotencyIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String RANDOM_RESULT = "import uuid\ndef handler(event):\n    return str(uuid.uuid4())\n";

    @Test
    void aSynchronousRetryGetsTheFirstAnswerWithoutRunningAgain() throws Exception {
        deployInline("idem-sync", RANDOM_RESULT);
        String key = UUID.randomUUID().toString();

        HttpResponse<String> first = invoke("idem-sync", key, "{\"n\":1}", false);
        HttpResponse<String> retry = invoke("idem-sync", key, "{\"n\":1}", false);
        HttpResponse<String> withoutKey = invoke("idem-sync", null, "{\"n\":1}", false);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers().firstValue("X-CloudFunc-Invocation-Id"))
                .isEqualTo(first.headers().firstValue("X-CloudFunc-Invocation-Id"));
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(withoutKey.body()).isNotEqualTo(first.body());
        assertThat(history("idem-sync")).as("runs of idem-sync").isEqualTo(2);
    }

    @Test
    void aKeyReusedForAnotherRequestIsRefused() throws Exception {
        deployInline("idem-reuse", RANDOM_RESULT);
        deployInline("idem-reuse-other", RANDOM_RESULT);
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = invoke("idem-reuse", key, "{\"n\":1}", false);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String firstId = first.headers().firstValue("X-CloudFunc-Invocation-Id").orElseThrow();

        for (HttpResponse<String> other : List.of(
                invoke("idem-reuse", key, "{\"n\":2}", false),
                invoke("idem-reuse-other", key, "{\"n\":1}", false),
                invoke("idem-reuse", key, "{\"n\":1}", true))) {
            JsonNode problem = problem(other, 422, "idempotency-key-reused");
            assertThat(problem.path("invocationId").asString()).isEqualTo(firstId);
        }
        assertThat(history("idem-reuse-other")).isZero();
        assertThat(problem(invoke("idem-reuse", "x".repeat(256), "{}", false), 400, "invalid-request")
                .path("detail").asString()).contains("Idempotency-Key");
    }

    @Test
    void anAsynchronousRetryGetsTheFirstInvocation() throws Exception {
        deployInline("idem-async", RANDOM_RESULT);
        String key = UUID.randomUUID().toString();

        HttpResponse<String> first = invoke("idem-async", key, "{}", true);
        HttpResponse<String> retry = invoke("idem-async", key, "{}", true);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
        String id = JSON.readTree(first.body()).path("invocationId").asString();
        assertThat(JSON.readTree(retry.body()).path("invocationId").asString()).isEqualTo(id);
        assertThat(retry.headers().firstValue("Location")).hasValue("/invocations/" + id);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");

        String record = awaitFinalRecord(id);
        HttpResponse<String> afterTheEnd = invoke("idem-async", key, "{}", true);
        assertThat(afterTheEnd.statusCode()).isEqualTo(202);
        JsonNode accepted = JSON.readTree(afterTheEnd.body());
        assertThat(accepted.path("invocationId").asString()).isEqualTo(id);
        assertThat(accepted.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(JSON.readTree(record).path("result").asString()).isNotBlank();
        assertThat(history("idem-async")).isEqualTo(1);
    }

    @Test
    void aRetryWhileTheFirstCallRunsIsAConflictThenGetsItsOutcome() throws Exception {
        deployInline("idem-slow", "import time, uuid\ndef handler(event):\n    time.sleep(8)\n"
                + "    return str(uuid.uuid4())\n");
        invoke("idem-slow", null, "{}", false); // warm, so that the keyed call below runs at once
        String key = UUID.randomUUID().toString();

        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return invoke("idem-slow", key, "{}", false);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1000);
        HttpResponse<String> during = invoke("idem-slow", key, "{}", false);
        HttpResponse<String> done = first.get(30, TimeUnit.SECONDS);
        HttpResponse<String> after = invoke("idem-slow", key, "{}", false);

        JsonNode conflict = problem(during, 409, "idempotency-key-in-use");
        assertThat(during.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        String id = done.headers().firstValue("X-CloudFunc-Invocation-Id").orElseThrow();
        assertThat(conflict.path("invocationId").asString()).isEqualTo(id);
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(after.body()).isEqualTo(done.body());
        assertThat(history("idem-slow")).isEqualTo(2);
    }

    @Test
    void aCallThePlatformDidNotTakeFreesItsKey() throws Exception {
        String key = UUID.randomUUID().toString();
        problem(invoke("idem-later", key, "{}", false), 404, "function-not-found");
        deployInline("idem-later", RANDOM_RESULT);

        HttpResponse<String> retry = invoke("idem-later", key, "{}", false);

        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
    }

    @Test
    void keysOfDifferentApiKeysNeverMeet() throws Exception {
        deployInline("idem-keys", RANDOM_RESULT);
        HttpResponse<String> created = post("/keys", "application/json",
                "{\"name\":\"e2e-idempotency\",\"role\":\"developer\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String other = JSON.readTree(created.body()).path("secret").asString();
        String key = UUID.randomUUID().toString();

        HttpResponse<String> mine = invoke("idem-keys", key, "{}", false);
        HttpResponse<String> theirs = sendAs(other, request("idem-keys", key, "{}", false));

        assertThat(theirs.statusCode()).as(theirs.body()).isEqualTo(200);
        assertThat(theirs.headers().firstValue("X-CloudFunc-Invocation-Id"))
                .isNotEqualTo(mine.headers().firstValue("X-CloudFunc-Invocation-Id"));
        assertThat(theirs.body()).isNotEqualTo(mine.body());
    }

    private static HttpResponse<String> invoke(String function, String key, String event, boolean async)
            throws Exception {
        return send(request(function, key, event, async));
    }

    private static HttpRequest.Builder request(String function, String key, String event, boolean async) {
        var request = HttpRequest.newBuilder(uri("/functions/" + function + "/invoke"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        if (async) {
            request.header("Prefer", "respond-async");
        }
        return request;
    }

    /** How many invocations of the function the history holds (waiting a moment for records still on their way). */
    private static int history(String function) throws Exception {
        Thread.sleep(1000);
        HttpResponse<String> page = Api.get("/functions/" + function + "/invocations?limit=100");
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return JSON.readTree(page.body()).path("items").size();
    }

    private static JsonNode problem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("type").asString()).isEqualTo("urn:cloudfunc:problem:" + type);
        return problem;
    }
}

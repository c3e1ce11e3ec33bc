package io.cloudfunc.gateway.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.messaging.InvocationHeaders;
import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import io.cloudfunc.gateway.support.StubIntake;
import org.springframework.amqp.core.MessageDeliveryMode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class InvokeIT extends GatewayIntegrationTest {

    private static final String ID = "0b6f3c8e-2f0e-4f5b-9d7c-1a2b3c4d5e6f";

    private static String completed(String name, String status, String rest) {
        return "{\"invocationId\":\"" + ID + "\",\"functionName\":\"" + name + "\",\"version\":4,\"status\":\""
                + status + "\",\"startType\":\"WARM\",\"logs\":\"line 1\\n\",\"startedAt\":\"2026-01-01T00:00:00Z\","
                + "\"finishedAt\":\"2026-01-01T00:00:00.012Z\",\"durationMs\":12" + rest + "}";
    }

    private static void schedulerAnswers(String name, StubIntake.Reply reply) {
        INTAKE.answer(name, reply);
    }

    private HttpResponse<byte[]> invoke(String name, String event) throws Exception {
        return post("/functions/" + name + "/invoke", "application/json", event.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void answersTheResultWithTheInvocationHeaders() throws Exception {
        schedulerAnswers("add", StubIntake.Reply.completed(completed("add", "SUCCEEDED", ",\"result\":{\"sum\":3}")));
        String event = "{ \"a\" : 1,\n \"b\": 2 }";

        HttpResponse<byte[]> response = invoke("add", event);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"sum\":3}"));
        assertThat(response.headers().firstValue("X-CloudFunc-Invocation-Id")).hasValue(ID);
        assertThat(response.headers().firstValue("X-CloudFunc-Start")).hasValue("warm");
        assertThat(response.headers().firstValue("X-CloudFunc-Duration-Ms")).hasValue("12");
        assertThat(response.headers().firstValue("X-CloudFunc-Total-Ms")).hasValueSatisfying(
                total -> assertThat(Long.parseLong(total)).isNotNegative());
        assertThat(response.headers().firstValue("X-CloudFunc-Status")).hasValue("SUCCEEDED");
        assertThat(response.headers().firstValue("X-CloudFunc-Version")).hasValue("4");
        var forwarded = INTAKE.last("add");
        assertThat(forwarded.text()).as("event bytes forwarded as sent").isEqualTo(event);
        assertThat(forwarded.properties().getContentType()).isEqualTo("application/json");
        assertThat(forwarded.properties().getType()).isEqualTo("InvocationRequest");
        assertThat(forwarded.properties().getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.NON_PERSISTENT);
        assertThat(forwarded.header(InvocationHeaders.MODE)).isEqualTo("SYNC");
        assertThat(((Number) forwarded.header(InvocationHeaders.DEADLINE)).longValue())
                .as("a start deadline in the future").isGreaterThan(System.currentTimeMillis());
        assertThat(forwarded.properties().getCorrelationId()).isEqualTo(forwarded.properties().getMessageId());
    }

    @Test
    void answersAStringResultAsAJsonString() throws Exception {
        schedulerAnswers("greet", StubIntake.Reply.completed(completed("greet", "SUCCEEDED", ",\"result\":\"hello\"")));

        HttpResponse<byte[]> response = invoke("greet", "\"world\"");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(text(response)).isEqualTo("\"hello\"");
    }

    @Test
    void answersJsonNullForANullResult() throws Exception {
        schedulerAnswers("nothing", StubIntake.Reply.completed(completed("nothing", "SUCCEEDED", ",\"result\":null")));

        HttpResponse<byte[]> response = invoke("nothing", "{}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(text(response)).isEqualTo("null");
    }

    @Test
    void forwardsAnEmptyBodyAsAnEmptyObject() throws Exception {
        schedulerAnswers("empty", StubIntake.Reply.completed(completed("empty", "SUCCEEDED", ",\"result\":1")));

        HttpResponse<byte[]> response = post("/functions/empty/invoke", null, new byte[0]);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(INTAKE.last("empty").text()).isEqualTo("{}");
    }

    @Test
    void answers502WithTheFunctionsErrorWhenItsCodeRaised() throws Exception {
        schedulerAnswers("boom", StubIntake.Reply.completed(completed("boom", "FAILED", ",\"errorKind\":\"FUNCTION\","
                + "\"error\":{\"type\":\"ValueError\",\"message\":\"bad input\","
                + "\"trace\":[\"function.py:3 in handler\"]}")));

        HttpResponse<byte[]> response = invoke("boom", "{}");

        JsonNode problem = assertProblem(response, 502, "function-error");
        assertThat(problem.path("errorType").asString()).isEqualTo("ValueError");
        assertThat(problem.path("errorMessage").asString()).isEqualTo("bad input");
        assertThat(problem.path("trace").get(0).asString()).isEqualTo("function.py:3 in handler");
        assertThat(problem.path("invocationId").asString()).isEqualTo(ID);
        assertThat(problem.path("functionName").asString()).isEqualTo("boom");
        assertThat(problem.path("logs").asString()).isEqualTo("line 1\n");
        assertThat(response.headers().firstValue("X-CloudFunc-Function-Error")).hasValue("Unhandled");
        assertThat(response.headers().firstValue("X-CloudFunc-Invocation-Id")).hasValue(ID);
        assertThat(response.headers().firstValue("X-CloudFunc-Status")).hasValue("FAILED");
        assertThat(response.headers().firstValue("X-CloudFunc-Start")).hasValue("warm");
    }

    @Test
    void answers503WhenThePlatformFailedTheCall() throws Exception {
        schedulerAnswers("crash", StubIntake.Reply.completed(completed("crash", "FAILED", ",\"errorKind\":\"PLATFORM\","
                + "\"error\":{\"type\":\"PlatformError\",\"message\":\"container exited\",\"trace\":[]}")));

        HttpResponse<byte[]> response = invoke("crash", "{}");

        JsonNode problem = assertProblem(response, 503, "platform-error");
        assertThat(problem.path("invocationId").asString()).isEqualTo(ID);
        assertThat(response.headers().firstValue("X-CloudFunc-Function-Error")).isEmpty();
    }

    @Test
    void asksTheSchedulerToForgetAFunctionTheNodeFoundReplaced() throws Exception {
        schedulerAnswers("replaced", StubIntake.Reply.completed(completed("replaced", "FAILED",
                ",\"errorKind\":\"PLATFORM\",\"error\":{\"type\":\"FunctionReplaced\",\"message\":\"other code\","
                        + "\"trace\":[]}")));

        assertProblem(invoke("replaced", "{}"), 503, "platform-error");

        long deadline = System.nanoTime() + 10_000_000_000L;
        while (SCHEDULER.received("DELETE", "/internal/function-cache/replaced").isEmpty()
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(SCHEDULER.received("DELETE", "/internal/function-cache/replaced")).hasSize(1);
    }

    @Test
    void answers504WhenTheFunctionTimedOut() throws Exception {
        schedulerAnswers("loop", StubIntake.Reply.completed(completed("loop", "TIMED_OUT", ",\"errorKind\":\"FUNCTION\","
                + "\"error\":{\"type\":\"TimeoutError\",\"message\":\"ran longer than 1000 ms\",\"trace\":[]}")));

        HttpResponse<byte[]> response = invoke("loop", "{}");

        JsonNode problem = assertProblem(response, 504, "function-timeout");
        assertThat(problem.path("invocationId").asString()).isEqualTo(ID);
        assertThat(response.headers().firstValue("X-CloudFunc-Status")).hasValue("TIMED_OUT");
    }

    @Test
    void passesTheSchedulersProblemsThroughWithThePublicPathAsTheirInstance() throws Exception {
        // the scheduler passes the registry's own 404 on, internal path included
        String notFound = "{\"type\":\"urn:cloudfunc:problem:function-not-found\",\"title\":\"Not Found\","
                + "\"status\":404,\"detail\":\"No function named 'ghost'.\",\"functionName\":\"ghost\","
                + "\"instance\":\"/internal/functions/ghost/versions/latest\"}";
        String noReply = "{\"type\":\"urn:cloudfunc:problem:function-timeout\",\"title\":\"Function timed out\","
                + "\"status\":504,\"detail\":\"No result within 35000 ms.\",\"invocationId\":\"" + ID + "\"}";
        schedulerAnswers("ghost", StubIntake.Reply.problem(notFound));
        schedulerAnswers("stuck", StubIntake.Reply.problem(noReply));

        HttpResponse<byte[]> missing = invoke("ghost", "{}");
        HttpResponse<byte[]> stuck = invoke("stuck", "{}");

        assertProblem(missing, 404, "function-not-found");
        assertThat(JSON.readTree(missing.body())).isEqualTo(JSON.readTree("{\"type\":"
                + "\"urn:cloudfunc:problem:function-not-found\",\"title\":\"Function not found\",\"status\":404,"
                + "\"detail\":\"No function named 'ghost'.\",\"functionName\":\"ghost\","
                + "\"instance\":\"/functions/ghost/invoke\"}"));
        assertProblem(stuck, 504, "function-timeout");
        JsonNode timedOut = JSON.readTree(stuck.body());
        assertThat(timedOut.path("detail").asString()).isEqualTo("No result within 35000 ms.");
        assertThat(timedOut.path("invocationId").asString()).isEqualTo(ID);
        assertThat(timedOut.path("instance").asString()).isEqualTo("/functions/stuck/invoke");
    }

    @Test
    void answers503WhenTheReplyCannotBeRead() throws Exception {
        schedulerAnswers("weird", new StubIntake.Reply("InvocationCompleted", "text/html", "<h1>oops</h1>"));

        JsonNode problem = assertProblem(invoke("weird", "{}"), 503, "platform-error");

        assertThat(problem.path("service").asString()).isEqualTo("scheduler");
    }

    @Test
    void rejectsInvalidJsonWithoutCallingTheScheduler() throws Exception {
        int before = INTAKE.received("bad-json").size();

        assertProblem(invoke("bad-json", "{\"a\":"), 400, "invalid-request");
        assertProblem(invoke("bad-json", "{} {}"), 400, "invalid-request");
        assertProblem(invoke("bad-json", "nope"), 400, "invalid-request");

        assertThat(INTAKE.received("bad-json")).hasSize(before);
    }

    @Test
    void answers413ForAnEventOverTheLimit() throws Exception {
        String event = "{\"pad\":\"" + "x".repeat(2_000) + "\"}";

        assertProblem(invoke("add", event), 413, "payload-too-large");
    }

    @Test
    void invokesANameWithUnderscores() throws Exception {
        schedulerAnswers("hello_fn", StubIntake.Reply.completed(completed("hello_fn", "SUCCEEDED",
                ",\"result\":\"Hello Alice!\"")));

        HttpResponse<byte[]> response = invoke("hello_fn", "{\"name\":\"Alice\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(text(response)).isEqualTo("\"Hello Alice!\"");
        assertThat(INTAKE.last("hello_fn").header(InvocationHeaders.FUNCTION)).isEqualTo("hello_fn");
    }

    @Test
    void rejectsAnInvalidFunctionName() throws Exception {
        JsonNode problem = assertProblem(invoke("Not_Valid", "{}"), 400, "invalid-request");

        assertThat(problem.path("functionName").asString()).isEqualTo("Not_Valid");
    }

    @Test
    void takesAJsonEventSentWithAnyContentType() throws Exception {
        schedulerAnswers("add", StubIntake.Reply.completed(completed("add", "SUCCEEDED", ",\"result\":{\"sum\":5}")));

        // curl -d's default type: the body must not be taken for form parameters
        var form = post("/functions/add/invoke?async=false", "application/x-www-form-urlencoded",
                "{\"a\":2,\"b\":3}".getBytes(StandardCharsets.UTF_8));
        assertThat(form.statusCode()).as(text(form)).isEqualTo(200);
        assertThat(JSON.readTree(form.body()).path("sum").asInt()).isEqualTo(5);

        var plain = post("/functions/add/invoke", "text/plain", "{\"a\":1,\"b\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(plain.statusCode()).as(text(plain)).isEqualTo(200);
        assertThat(INTAKE.last("add").text()).isEqualTo("{\"a\":1,\"b\":1}");
    }

    @Test
    void seed002sInvokeRouteIsTheSameCall() throws Exception {
        schedulerAnswers("seeded", StubIntake.Reply.completed(completed("seeded", "SUCCEEDED", ",\"result\":7")));

        var answer = post("/invoke/seeded", "application/json", "{\"n\":7}".getBytes(StandardCharsets.UTF_8));

        assertThat(answer.statusCode()).as(text(answer)).isEqualTo(200);
        assertThat(text(answer)).isEqualTo("7");
        assertThat(answer.headers().firstValue("X-CloudFunc-Invocation-Id")).hasValue(ID);
        assertThat(INTAKE.last("seeded").text()).isEqualTo("{\"n\":7}");
        assertProblem(post("/invoke/Not_Valid", "application/json", new byte[0]), 400, "invalid-request");
    }

    @Test
    void seed004sBodyOnTheSeedRoutePassesItsEventAndCarriesItsTimeout() throws Exception {
        schedulerAnswers("enveloped", StubIntake.Reply.completed(completed("enveloped", "SUCCEEDED", ",\"result\":1")));

        var answer = post("/invoke/enveloped", "application/json",
                "{\"event\": {\"message\": \"Hello from Mini Lambda!\"}, \"timeout\": 30}"
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(answer.statusCode()).as(text(answer)).isEqualTo(200);
        var received = INTAKE.last("enveloped");
        assertThat(JSON.readTree(received.body())).isEqualTo(JSON.readTree("{\"message\":\"Hello from Mini Lambda!\"}"));
        assertThat(((Number) received.header(InvocationHeaders.TIMEOUT_MS)).longValue()).isEqualTo(30_000L);
    }

    @Test
    void otherBodiesAndTheNativeRouteForwardTheWholeBody() throws Exception {
        schedulerAnswers("whole", StubIntake.Reply.completed(completed("whole", "SUCCEEDED", ",\"result\":1")));
        String envelope = "{\"event\":{\"a\":1},\"timeout\":5}";
        String more = "{\"event\":{\"a\":1},\"timeout\":5,\"other\":true}";

        assertThat(post("/functions/whole/invoke", "application/json", envelope.getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(200);
        assertThat(INTAKE.last("whole").text()).isEqualTo(envelope);
        assertThat(INTAKE.last("whole").header(InvocationHeaders.TIMEOUT_MS)).isNull();
        assertThat(post("/invoke/whole", "application/json", more.getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(200);
        assertThat(INTAKE.last("whole").text()).isEqualTo(more);
        assertThat(INTAKE.last("whole").header(InvocationHeaders.TIMEOUT_MS)).isNull();
    }

    @Test
    void timeoutQueryParameterIsCarriedInMillisecondsAndTheSmallerWins() throws Exception {
        schedulerAnswers("timed", StubIntake.Reply.completed(completed("timed", "SUCCEEDED", ",\"result\":1")));

        assertThat(post("/functions/timed/invoke?timeout=2.5", "application/json",
                "{}".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        assertThat(((Number) INTAKE.last("timed").header(InvocationHeaders.TIMEOUT_MS)).longValue()).isEqualTo(2500L);
        assertThat(post("/invoke/timed?timeout=10", "application/json",
                "{\"event\":{},\"timeout\":3}".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        assertThat(((Number) INTAKE.last("timed").header(InvocationHeaders.TIMEOUT_MS)).longValue()).isEqualTo(3000L);

        assertProblem(post("/functions/timed/invoke?timeout=0", "application/json", new byte[0]), 400,
                "invalid-request");
        assertProblem(post("/functions/timed/invoke?timeout=soon", "application/json", new byte[0]), 400,
                "invalid-request");
        JsonNode problem = assertProblem(post("/invoke/timed", "application/json",
                "{\"event\":{},\"timeout\":\"30\"}".getBytes(StandardCharsets.UTF_8)), 400, "invalid-request");
        assertThat(problem.path("detail").asString()).contains("positive number of seconds");
    }

    @Test
    void answers400ForABodyThatIsNotJsonWhateverItsContentType() throws Exception {
        JsonNode problem = assertProblem(post("/functions/add/invoke", "text/plain",
                "a=1".getBytes(StandardCharsets.UTF_8)), 400, "invalid-request");

        assertThat(problem.path("detail").asString()).contains("not valid JSON");
        assertThat(problem.path("instance").asString()).isEqualTo("/functions/add/invoke");
    }

    @Test
    void answers405WithAllowForAnotherMethodOnTheInvokeRoute() throws Exception {
        var answer = send(request("/functions/add/invoke").PUT(HttpRequest.BodyPublishers.ofString("{}")));

        assertProblem(answer, 405, "method-not-allowed");
        assertThat(answer.headers().firstValue("Allow")).hasValue("POST");
    }
}

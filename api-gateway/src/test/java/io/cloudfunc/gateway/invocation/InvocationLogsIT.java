package io.cloudfunc.gateway.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import io.cloudfunc.gateway.support.StubService.Answer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code GET /invocations/{id}/logs} and {@code GET /functions/{name}/logs} in front of a stub registry. */
class InvocationLogsIT extends GatewayIntegrationTest {

    private static final String ID = "3f1c2b9e-6d2a-4c51-9a43-0c2f5e7d8b10";
    private static final String LOGS = """
            {"invocationId":"%s","functionName":"talker","version":1,"status":"SUCCEEDED",
             "finishedAt":"2026-03-01T10:00:01Z","logs":"hello\\n","truncated":false}""".formatted(ID);

    @Test
    void relaysOneInvocationsLogs() throws Exception {
        REGISTRY.answer("GET", "/internal/invocations/" + ID + "/logs", Answer.json(200, LOGS));

        HttpResponse<byte[]> response = get("/invocations/" + ID.toUpperCase() + "/logs");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("logs").asString()).isEqualTo("hello\n");
        assertThat(JSON.readTree(response.body()).path("truncated").asBoolean()).isFalse();
    }

    @Test
    void passesTheRegistrysNotFoundThrough() throws Exception {
        String other = "00000000-0000-4000-8000-000000000000";
        REGISTRY.answer("GET", "/internal/invocations/" + other + "/logs", Answer.problem(404,
                "{\"type\":\"urn:cloudfunc:problem:invocation-not-found\",\"title\":\"Invocation not found\","
                        + "\"status\":404,\"detail\":\"no invocation with id " + other + "\"}"));

        assertProblem(get("/invocations/" + other + "/logs"), 404, "invocation-not-found");
    }

    @Test
    void rejectsAnIdThatIsNotAUuidWithoutCallingTheRegistry() throws Exception {
        int before = REGISTRY.received("GET", "/internal/invocations/not-a-uuid/logs").size();

        assertProblem(get("/invocations/not-a-uuid/logs"), 400, "invalid-request");
        assertThat(REGISTRY.received("GET", "/internal/invocations/not-a-uuid/logs")).hasSize(before);
    }

    @Test
    void forwardsAFunctionsLogsQueryWithItsCursor() throws Exception {
        REGISTRY.answer("GET", "/internal/functions/talker/logs", Answer.json(200, "[" + LOGS + "]"));

        HttpResponse<byte[]> latest = get("/functions/talker/logs?limit=5");
        String latestQuery = REGISTRY.last("GET", "/internal/functions/talker/logs").query();
        HttpResponse<byte[]> after = get("/functions/talker/logs?since=2026-03-01T10:00:01Z&afterId=" + ID
                + "&limit=50");
        String afterQuery = REGISTRY.last("GET", "/internal/functions/talker/logs").query();

        assertThat(latest.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(latest.body()).get(0).path("invocationId").asString()).isEqualTo(ID);
        assertThat(latestQuery).isEqualTo("limit=5");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(afterQuery).isEqualTo("after=2026-03-01T10%3A00%3A01Z&afterId=" + ID + "&limit=50");
    }

    @Test
    void rejectsABadFunctionLogsQuery() throws Exception {
        assertProblem(get("/functions/talker/logs?since=yesterday"), 400, "invalid-request");
        assertProblem(get("/functions/talker/logs?limit=0"), 400, "invalid-request");
        assertProblem(get("/functions/talker/logs?limit=lots"), 400, "invalid-request");
        assertProblem(get("/functions/talker/logs?afterId=" + ID), 400, "invalid-request");
        assertProblem(get("/functions/Not_A_Name/logs"), 400, "invalid-request");
    }
}

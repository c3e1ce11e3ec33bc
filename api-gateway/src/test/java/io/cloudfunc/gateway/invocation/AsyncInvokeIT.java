package io.cloudfunc.gateway.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.messaging.InvocationHeaders;
import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import io.cloudfunc.gateway.support.StubIntake;
import org.springframework.amqp.core.MessageDeliveryMode;
import io.cloudfunc.gateway.support.StubService.Answer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Asynchronous invokes, history and dead letters through the gateway, against stub services. */
class AsyncInvokeIT extends GatewayIntegrationTest {

    private static final String ID = "3f1c2b9e-6d2a-4c51-9a43-0c2f5e7d8b10";
    private static final String ACCEPTED = "{\"invocationId\":\"" + ID + "\",\"functionName\":\"later\","
            + "\"version\":2,\"status\":\"QUEUED\",\"acceptedAt\":\"2026-05-01T10:00:00Z\","
            + "\"links\":{\"self\":\"/invocations/" + ID + "\",\"function\":\"/functions/later\"}}";

    @Test
    void preferRespondAsyncAnswers202WithLocation() throws Exception {
        INTAKE.answer("later", StubIntake.Reply.accepted(ACCEPTED));

        HttpResponse<byte[]> response = send(request("/functions/later/invoke")
                .header("Content-Type", "application/json").header("Prefer", "wait=10, respond-async")
                .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}")));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Location")).hasValue("/invocations/" + ID);
        assertThat(response.headers().firstValue("Preference-Applied")).hasValue("respond-async");
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(ACCEPTED));
        var forwarded = INTAKE.last("later");
        assertThat(forwarded.header(InvocationHeaders.MODE)).isEqualTo("ASYNC");
        assertThat(forwarded.properties().getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        assertThat(forwarded.header(InvocationHeaders.DEADLINE)).as("an accepted call has no deadline").isNull();
        assertThat(forwarded.text()).isEqualTo("{\"n\":1}");
    }

    @Test
    void asyncQueryParameterPassesTheCallbackUrlOn() throws Exception {
        INTAKE.answer("later", StubIntake.Reply.accepted(ACCEPTED));
        String callback = "https://hooks.example.org/done?x=1&y=2";

        HttpResponse<byte[]> response = post("/functions/later/invoke?async=true&callbackUrl="
                + URLEncoder.encode(callback, StandardCharsets.UTF_8), "application/json", new byte[0]);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(INTAKE.last("later").header(InvocationHeaders.CALLBACK_URL)).isEqualTo(callback);
    }

    @Test
    void refusesBadCallbacksAndAsyncFlags() throws Exception {
        for (String query : new String[] {"async=true&callbackUrl=ftp%3A%2F%2Fx%2Fy", "async=maybe",
                "callbackUrl=http%3A%2F%2F127.0.0.1%2Fhook", "async=true&callbackUrl=%2Frelative"}) {
            HttpResponse<byte[]> response = post("/functions/later/invoke?" + query, "application/json",
                    "{}".getBytes(StandardCharsets.UTF_8));
            assertProblem(response, 400, "invalid-request");
        }
    }

    @Test
    void historyPassesOnlyKnownFiltersReEncoded() throws Exception {
        REGISTRY.answer("GET", "/internal/functions/later/invocations",
                Answer.json(200, "{\"items\":[],\"nextCursor\":null}"));

        HttpResponse<byte[]> response = get("/functions/later/invocations?status=FAILED&limit=5&evil=1"
                + "&from=2026-05-01T00:00:00%2B00:00");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(REGISTRY.last("GET", "/internal/functions/later/invocations").query())
                .isEqualTo("status=FAILED&from=2026-05-01T00%3A00%3A00%2B00%3A00&limit=5");
        assertProblem(get("/functions/Bad_Name/invocations"), 400, "invalid-request");
    }

    @Test
    void deadLettersComeFromTheRegistry() throws Exception {
        REGISTRY.answer("GET", "/internal/dead-letters", Answer.json(200, "{\"items\":[],\"nextCursor\":null}"));

        HttpResponse<byte[]> response = get("/dead-letters?function=later");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(REGISTRY.last("GET", "/internal/dead-letters").query()).isEqualTo("function=later");
    }
}

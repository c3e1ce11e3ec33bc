package io.cloudfunc.gateway.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** A call nobody answers (no scheduler consumes the request): a 504 with the invocation id once the wait is over. */
@TestPropertySource(properties = {"gateway.invoke-timeout=1s", "gateway.accept-timeout=1s"})
class NoReplyIT extends GatewayIntegrationTest {

    @Test
    void answers504WithTheInvocationIdWhenNoReplyComes() throws Exception {
        for (String query : new String[] {"", "?async=true"}) {
            HttpResponse<byte[]> response = post("/functions/unanswered/invoke" + query, "application/json",
                    "{}".getBytes(StandardCharsets.UTF_8));

            // the call was handed over and may still run: not a "platform-error" (not taken), so not safe to retry
            JsonNode problem = assertProblem(response, 504, "outcome-unknown");
            assertThat(problem.path("invocationId").asString()).isEqualTo(
                    INTAKE.last("unanswered").properties().getMessageId());
        }
        assertThat(INTAKE.received("unanswered")).hasSize(2);
    }
}

package io.cloudfunc.gateway.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.ShutdownSignalException;
import io.cloudfunc.support.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

class PendingRepliesTests {

    private final PendingReplies pending = new PendingReplies("cloudfunc.replies.test");

    @Test
    void completesOnlyTheCallerWithTheMatchingCorrelationId() throws Exception {
        var first = pending.expect("a");
        var second = pending.expect("b");

        pending.onMessage(reply("b", "{\"status\":\"SUCCEEDED\"}"));

        assertThat(first).isNotDone();
        assertThat(new String(second.get().getBody(), StandardCharsets.UTF_8)).contains("SUCCEEDED");
        assertThat(pending.size()).isEqualTo(1);
    }

    @Test
    void dropsRepliesNobodyWaitsFor() {
        pending.onMessage(reply("unknown", "{}"));

        assertThat(pending.size()).isZero();
    }

    @Test
    void failsEveryWaitingCallerWithAnOutcomeUnknownProblemWhenTheConnectionIsLost() throws Exception {
        var caller = pending.expect("c");

        pending.onShutDown(new ShutdownSignalException(true, false, null, null));

        assertThat(caller).isCompletedExceptionally();
        assertThat(pending.size()).isZero();
        try {
            caller.get();
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ProblemException.class);
            assertThat(((ProblemException) e.getCause()).problem().getStatus()).isEqualTo(503);
            assertThat(((ProblemException) e.getCause()).problem().getProperties()).containsEntry("invocationId", "c");
            assertThat(((ProblemException) e.getCause()).problem().getType().toString())
                    .isEqualTo("urn:cloudfunc:problem:outcome-unknown");
        }
    }

    private static Message reply(String correlationId, String body) {
        var properties = new MessageProperties();
        properties.setCorrelationId(correlationId);
        return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
    }
}

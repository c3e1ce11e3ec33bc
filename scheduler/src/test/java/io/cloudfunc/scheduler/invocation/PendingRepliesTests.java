package io.cloudfunc.scheduler.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.support.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import tools.jackson.databind.json.JsonMapper;

class PendingRepliesTests {

    private final PendingReplies pending = new PendingReplies("cloudfunc.replies.test", JsonMapper.builder().build());

    @Test
    void completesOnlyTheCallerWithTheMatchingCorrelationId() throws Exception {
        var first = pending.expect("a");
        var second = pending.expect("b");

        pending.onMessage(reply("b", "{\"invocationId\":\"00000000-0000-0000-0000-00000000000b\",\"version\":1,"
                + "\"status\":\"SUCCEEDED\",\"durationMs\":1}"));

        assertThat(first).isNotDone();
        assertThat(second.get().invocationId().toString()).endsWith("b");
        assertThat(pending.size()).isEqualTo(1);
    }

    @Test
    void dropsRepliesNobodyWaitsFor() {
        pending.onMessage(reply("unknown", "{}"));

        assertThat(pending.size()).isZero();
    }

    @Test
    void failsTheCallerWithAPlatformProblemWhenTheReplyIsUnreadable() {
        var caller = pending.expect("c");

        pending.onMessage(reply("c", "not json"));

        assertThat(caller).isCompletedExceptionally();
        try {
            caller.get();
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ProblemException.class);
            assertThat(((ProblemException) e.getCause()).problem().getStatus()).isEqualTo(503);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static Message reply(String correlationId, String body) {
        var properties = new MessageProperties();
        properties.setCorrelationId(correlationId);
        return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
    }
}

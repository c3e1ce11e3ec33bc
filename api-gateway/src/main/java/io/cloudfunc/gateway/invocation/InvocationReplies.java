package io.cloudfunc.gateway.invocation;

import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.gateway.downstream.SchedulerService;
import io.cloudfunc.support.problem.Problems;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reply to a synchronous call, read the same way by every route that publishes one (the invoke route and the
 * HTTP functions' {@code /fn/{name}}): a problem detail the scheduler answered, passed through, or the call's
 * {@link InvocationCompleted}; a node that ran a stale version makes the scheduler forget the function.
 */
final class InvocationReplies {

    /** Error types of a node that was sent a version that no longer is what the registry has. */
    private static final Set<String> STALE_FUNCTION_ERRORS = Set.of("FunctionNotFound", "FunctionReplaced");
    private static final Logger log = LoggerFactory.getLogger(InvocationReplies.class);

    private final SchedulerService scheduler;
    private final JsonMapper json;

    InvocationReplies(SchedulerService scheduler, JsonMapper json) {
        this.scheduler = scheduler;
        this.json = json;
    }

    static boolean isProblem(Message reply) {
        return Topology.TYPE_PROBLEM.equals(reply.getMessageProperties().getType());
    }

    /** The call's outcome (a reply that is not a problem); a stale version is forgotten on the way. */
    InvocationCompleted completed(Message reply) {
        InvocationCompleted completed;
        try {
            completed = json.readValue(reply.getBody(), InvocationCompleted.class);
        } catch (JacksonException e) {
            throw unreadable(reply);
        }
        if (completed == null || completed.status() == null) {
            throw unreadable(reply);
        }
        if (completed.errorKind() == ErrorKind.PLATFORM && completed.error() != null
                && STALE_FUNCTION_ERRORS.contains(completed.error().type())) {
            forgetStale(completed.functionName());
        }
        return completed;
    }

    /** A problem detail the scheduler answered (404 unknown function, 400, 503): passed through as it is. */
    ResponseEntity<?> problem(Message reply) {
        int status;
        try {
            status = json.readTree(reply.getBody()).path("status").asInt(0);
        } catch (JacksonException e) {
            throw unreadable(reply);
        }
        if (status < 400 || status > 599) {
            throw unreadable(reply);
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(reply.getBody());
    }

    /**
     * The node found no such version, or other code under it: the function was deleted (and maybe deployed again)
     * and the scheduler's cache missed the event. It is told to drop the function (best effort, off this request), so
     * that the next call resolves it again.
     */
    private void forgetStale(String functionName) {
        Thread.ofVirtual().name("forget-" + functionName).start(() -> {
            try {
                scheduler.delete("/internal/function-cache/" + functionName);
            } catch (RuntimeException e) {
                log.debug("Could not make the scheduler forget {}: {}", functionName, e.getMessage());
            }
        });
    }

    static RuntimeException unreadable(Message reply) {
        log.warn("Unreadable reply of type {} for invocation {}", reply.getMessageProperties().getType(),
                reply.getMessageProperties().getCorrelationId());
        return Problems.platformError("scheduler", "The platform's reply for invocation "
                + reply.getMessageProperties().getCorrelationId() + " could not be read.");
    }
}

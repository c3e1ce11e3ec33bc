package io.cloudfunc.scheduler.invocation;

import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.cloudfunc.scheduler.registry.RegistryClient;
import io.cloudfunc.support.problem.Problems;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the synchronous and the asynchronous path share before and after a publish. */
final class Unpublished {

    private static final Logger log = LoggerFactory.getLogger(Unpublished.class);

    private Unpublished() {
    }

    /** The event as JSON: an empty body is {@code {}}; anything unparsable is a 400. */
    static JsonNode parseEvent(JsonMapper json, byte[] event) {
        if (event == null || event.length == 0) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(event);
        } catch (JacksonException e) {
            throw Problems.invalidRequest("The event is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Records an invocation the broker surely did not take as FAILED (PLATFORM), once its QUEUED record has been
     * written (or failed to be): no container-manager will ever complete it.
     */
    static void record(RegistryClient registry, Executor executor, InvokeFunction command,
                       CompletableFuture<?> recorded, String detail) {
        var failed = new InvocationCompleted(command.invocationId(), command.functionName(), command.version(),
                InvocationStatus.FAILED, null, null, FunctionError.of("PlatformError", detail), ErrorKind.PLATFORM,
                "", null, Instant.now(), 0, command.attempt(), false, command.mode());
        recorded.handle((created, failure) -> null).thenRunAsync(() -> {
            try {
                registry.complete(failed);
            } catch (RuntimeException e) {
                log.warn("Recording unpublished invocation {} as FAILED failed; it stays QUEUED: {}",
                        command.invocationId(), e.getMessage());
            }
        }, executor);
    }
}

package io.cloudfunc.scheduler.invocation;

import io.cloudfunc.contracts.auth.InternalHeaders;
import io.cloudfunc.contracts.invocation.AsyncInvocationAccepted;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /internal/functions/{name}/invoke}: the body is the event, any JSON value (empty means {@code {}}).
 * Answers 200 with the {@link InvocationCompleted} whatever its status; problems otherwise. With {@code ?async=true}
 * the call is accepted (202) instead of awaited.
 */
@RestController
class InvocationController {

    private final Invoker invoker;
    private final AsyncInvoker asyncInvoker;

    InvocationController(Invoker invoker, AsyncInvoker asyncInvoker) {
        this.invoker = invoker;
        this.asyncInvoker = asyncInvoker;
    }

    /** {@code X-CloudFunc-Api-Key-Id}, set by the gateway, names the key the call is recorded for. */
    @PostMapping("/internal/functions/{name}/invoke")
    InvocationCompleted invoke(@PathVariable String name, @RequestBody(required = false) byte[] event,
            @RequestHeader(name = InternalHeaders.API_KEY_ID, required = false) UUID apiKeyId) {
        return invoker.invoke(name, event, apiKeyId);
    }

    /**
     * {@code ?async=true}: 202 with an {@link AsyncInvocationAccepted} once RabbitMQ confirmed the message and the
     * QUEUED record is written; {@code callbackUrl} receives the final record.
     */
    @PostMapping(path = "/internal/functions/{name}/invoke", params = "async=true")
    ResponseEntity<AsyncInvocationAccepted> invokeAsync(@PathVariable String name,
            @RequestParam(required = false) String callbackUrl, @RequestBody(required = false) byte[] event,
            @RequestHeader(name = InternalHeaders.API_KEY_ID, required = false) UUID apiKeyId) {
        AsyncInvocationAccepted accepted = asyncInvoker.accept(name, event, callbackUrl, apiKeyId);
        return ResponseEntity.accepted().location(URI.create(accepted.links().get("self"))).body(accepted);
    }
}

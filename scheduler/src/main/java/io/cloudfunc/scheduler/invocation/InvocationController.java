package io.cloudfunc.scheduler.invocation;

import io.cloudfunc.contracts.messaging.InvocationCompleted;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /internal/functions/{name}/invoke}: the body is the event, any JSON value (empty means {@code {}}).
 * Answers 200 with the {@link InvocationCompleted} whatever its status; problems otherwise.
 */
@RestController
class InvocationController {

    private final Invoker invoker;

    InvocationController(Invoker invoker) {
        this.invoker = invoker;
    }

    @PostMapping("/internal/functions/{name}/invoke")
    InvocationCompleted invoke(@PathVariable String name, @RequestBody(required = false) byte[] event) {
        return invoker.invoke(name, event);
    }
}

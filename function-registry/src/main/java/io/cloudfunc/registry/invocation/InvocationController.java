package io.cloudfunc.registry.invocation;

import io.cloudfunc.contracts.invocation.InvocationView;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reads an invocation record (docs/architecture.md, "function-registry internal API"). Records are written only
 * from messages ({@link RecordsListener}): there is no HTTP endpoint that writes them.
 */
@RestController
@RequestMapping("/internal/invocations")
class InvocationController {

    private final InvocationService service;

    InvocationController(InvocationService service) {
        this.service = service;
    }

    /**
     * With {@code apiKeyId}, 404 unless that key made the call (the gateway sets it for invoker keys). A record of a
     * call accepted just now is waited for a moment ({@code registry.invocations.record-wait}) before 404.
     */
    @GetMapping("/{id}")
    public InvocationView get(@PathVariable UUID id, @RequestParam(required = false) UUID apiKeyId) {
        return service.get(id, apiKeyId);
    }
}

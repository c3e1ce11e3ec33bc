package io.cloudfunc.registry.invocation;

import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.InvocationView;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The registry's invocation-record API (docs/architecture.md, "function-registry internal API"). */
@RestController
@RequestMapping("/internal/invocations")
class InvocationController {

    private final InvocationService service;

    InvocationController(InvocationService service) {
        this.service = service;
    }

    /** 201 with the new record, or 200 with the existing one when the id was recorded before (a retry). */
    @PostMapping
    public ResponseEntity<InvocationView> create(@RequestBody CreateInvocation create) {
        InvocationService.Recorded recorded = service.create(create);
        if (!recorded.created()) {
            return ResponseEntity.ok(recorded.view());
        }
        return ResponseEntity.created(URI.create("/internal/invocations/" + recorded.view().id()))
                .body(recorded.view());
    }

    @PutMapping("/{id}/running")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void markRunning(@PathVariable UUID id, @RequestBody(required = false) MarkRunning body) {
        service.markRunning(id, body == null ? null : body.startedAt());
    }

    @PutMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void complete(@PathVariable UUID id, @RequestBody InvocationCompleted completed) {
        service.complete(id, completed);
    }

    @GetMapping("/{id}")
    public InvocationView get(@PathVariable UUID id) {
        return service.get(id);
    }
}

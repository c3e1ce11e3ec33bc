package io.cloudfunc.registry.invocation;

import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.InvocationView;
import io.cloudfunc.contracts.invocation.RetryScheduled;
import io.cloudfunc.support.problem.Problems;
import java.util.List;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The registry's invocation-record API (docs/architecture.md, "function-registry internal API"). */
@RestController
@RequestMapping("/internal/invocations")
class InvocationController {

    static final int MAX_BATCH = 1000;

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

    /** Many QUEUED records at once (the scheduler's asynchronous path); 204. */
    @PostMapping("/batch")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void createAll(@RequestBody List<CreateInvocation> creates) {
        if (creates.size() > MAX_BATCH) {
            throw Problems.invalidRequest("at most " + MAX_BATCH + " records per batch, got " + creates.size());
        }
        if (!creates.isEmpty()) {
            service.createAll(creates);
        }
    }

    /**
     * Many final states at once (the container-manager gathers the completions of concurrent calls), each with the
     * rules of {@code PUT /internal/invocations/{id}}; 204. One invalid completion refuses the whole batch (400).
     */
    @PutMapping("/completions")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void completeAll(@RequestBody List<InvocationCompleted> completions) {
        if (completions.size() > MAX_BATCH) {
            throw Problems.invalidRequest("at most " + MAX_BATCH + " completions per batch, got "
                    + completions.size());
        }
        if (!completions.isEmpty()) {
            service.completeAll(completions);
        }
    }

    /** A failed attempt of an asynchronous call will be retried; 204. */
    @PutMapping("/{id}/retry")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void retry(@PathVariable UUID id, @RequestBody RetryScheduled retry) {
        service.retry(id, retry);
    }

    @PutMapping("/{id}/running")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void markRunning(@PathVariable UUID id, @RequestBody(required = false) MarkRunning body) {
        service.markRunning(id, body == null ? null : body.startedAt(),
                body == null || body.attempt() == null ? 1 : body.attempt());
    }

    @PutMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void complete(@PathVariable UUID id, @RequestBody InvocationCompleted completed) {
        service.complete(id, completed);
    }

    /** With {@code apiKeyId}, 404 unless that key made the call (the gateway sets it for invoker keys). */
    @GetMapping("/{id}")
    public InvocationView get(@PathVariable UUID id, @RequestParam(required = false) UUID apiKeyId) {
        return service.get(id, apiKeyId);
    }
}

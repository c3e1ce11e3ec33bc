package io.cloudfunc.gateway.metrics;

import io.cloudfunc.gateway.downstream.RegistryService;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /metrics}: invocation counts and durations per function, status and start type, in Prometheus' text
 * format, for a Prometheus that scrapes the gateway with a developer (or admin) key as its bearer token. A
 * management call to the registry, which counts them: nothing on the invocation path.
 */
@RestController
class MetricsController {

    private final RegistryService registry;

    MetricsController(RegistryService registry) {
        this.registry = registry;
    }

    @GetMapping("/metrics")
    ResponseEntity<byte[]> metrics() {
        return registry.relay(registry.get("/internal/metrics"));
    }
}

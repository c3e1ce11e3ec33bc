package io.cloudfunc.registry.metrics;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /internal/metrics}: the invocation metrics as Prometheus text, relayed by the gateway's /metrics. */
@RestController
class MetricsController {

    /** Prometheus' text exposition format. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final InvocationMetrics metrics;

    MetricsController(InvocationMetrics metrics) {
        this.metrics = metrics;
    }

    @GetMapping("/internal/metrics")
    ResponseEntity<String> metrics() {
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_TYPE, PROMETHEUS_TEXT).body(metrics.scrape());
    }
}

package io.cloudfunc.gateway.health;

import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /health}, as seed 002 and peer gateways (OpenFaaS's {@code /healthz}, OpenWhisk's {@code /ping}) have
 * it: no key needed, and only the status, so that it tells an outsider nothing about the platform. It is the
 * actuator's aggregate health ({@code /actuator/health}, the same indicators), so the two never disagree: 200 with
 * {@code {"status":"UP"}}, 503 with {@code {"status":"DOWN"}} (or {@code OUT_OF_SERVICE}).
 */
@RestController
class HealthController {

    private final HealthEndpoint health;

    HealthController(HealthEndpoint health) {
        this.health = health;
    }

    @GetMapping(value = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<HealthStatus> health() {
        Status status = health.health().getStatus();
        boolean down = Status.DOWN.equals(status) || Status.OUT_OF_SERVICE.equals(status);
        return ResponseEntity.status(down ? 503 : 200).body(new HealthStatus(status.getCode()));
    }

    /** @param status {@code UP}, {@code DOWN}, {@code OUT_OF_SERVICE} or {@code UNKNOWN} */
    record HealthStatus(String status) {
    }
}

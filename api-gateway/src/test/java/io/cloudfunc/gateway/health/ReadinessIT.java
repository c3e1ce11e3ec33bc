package io.cloudfunc.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import io.cloudfunc.gateway.support.StubService;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Readiness reflects what the gateway needs to serve calls (issue 15): the registry, a scheduler consuming the intake
 * queue, a container-manager, beside the broker; liveness stays UP whatever they do, so that a dependency that is
 * down never gets the gateway restarted. {@code /health} (the aggregate) is DOWN with readiness.
 */
class ReadinessIT extends GatewayIntegrationTest {

    private static final StubService.Answer HEALTH_DOWN = StubService.Answer.json(503, "{\"status\":\"DOWN\"}");

    @Test
    void isReadyAndLiveWhenEverythingItNeedsIsUp() throws Exception {
        assertStatus("/actuator/health/readiness", 200, "UP");
        assertStatus("/actuator/health/liveness", 200, "UP");
        assertStatus("/health", 200, "UP");
    }

    @Test
    void isNotReadyButLiveWhileTheRegistryIsDown() throws Exception {
        REGISTRY.answer("GET", "/actuator/health", HEALTH_DOWN);
        try {
            assertNotReadyButLive();
        } finally {
            REGISTRY.answer("GET", "/actuator/health", HEALTH_UP);
        }
        awaitReady();
    }

    @Test
    void isNotReadyButLiveWhileNoSchedulerConsumesTheIntakeQueue() throws Exception {
        INTAKE.pause();
        try {
            assertNotReadyButLive();
        } finally {
            INTAKE.resume();
        }
        awaitReady();
    }

    @Test
    void isNotReadyButLiveWhileNoContainerManagerIsUp() throws Exception {
        MANAGER.answer("GET", "/actuator/health", HEALTH_DOWN);
        try {
            assertNotReadyButLive();
        } finally {
            MANAGER.answer("GET", "/actuator/health", HEALTH_UP);
        }
        awaitReady();
    }

    /** Ready again once the dependency is back (a consumer that starts again registers within moments). */
    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (send(request("/actuator/health/readiness", null).GET()).statusCode() != 200
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertStatus("/actuator/health/readiness", 200, "UP");
    }

    private void assertNotReadyButLive() throws Exception {
        assertStatus("/actuator/health/readiness", 503, "DOWN");
        assertStatus("/health", 503, "DOWN");
        assertStatus("/actuator/health/liveness", 200, "UP");
    }

    private void assertStatus(String path, int status, String health) throws Exception {
        HttpResponse<byte[]> response = send(request(path, null).GET());
        assertThat(response.statusCode()).as(path + ": " + text(response)).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).path("status").asString()).as(path).isEqualTo(health);
    }
}

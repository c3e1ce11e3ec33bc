package io.cloudfunc.registry.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.registry.LocalServices;
import io.cloudfunc.registry.RegistryIntegrationTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A registry whose database went down answers fast (issue 15): every request that needs a connection is a 503
 * {@code platform-error} within a few seconds (the configured Hikari connection timeout, 2 s), not after Hikari's
 * default 30 s: the gateway's key check asks the registry on every call whose key is not cached, so each call waited
 * that long. The test runs with the registry's own settings (application.yml), nothing made shorter for it.
 */
class DatabaseDownIT extends RegistryIntegrationTest {

    private static final Duration FAST = Duration.ofSeconds(4);

    @AfterEach
    void databaseBack() throws Exception {
        LocalServices.allowConnections(true);
    }

    @Test
    void answers503WithinAFewSecondsWhenTheDatabaseIsDown() throws Exception {
        awaitOk(); // the pool holds connections
        LocalServices.allowConnections(false);

        // the first request may meet a pooled connection the database just closed; the later ones, past Hikari's
        // half-second bypass of its validity check, an empty pool that cannot open a connection
        for (String path : List.of("/internal/keys/by-hash/" + "0".repeat(64), "/internal/functions",
                "/internal/keys/by-hash/" + "1".repeat(64))) {
            long start = System.nanoTime();
            var response = http.get().uri(path).exchange();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertProblem(response, 503, ProblemTypes.PLATFORM_ERROR)
                    .jsonPath("$.detail").isEqualTo("the registry's database is unavailable; retry later");
            assertThat(took).as("time to the 503 of " + path).isLessThan(FAST);
            Thread.sleep(600);
        }
    }

    @Test
    void answersAgainOnceTheDatabaseIsBack() throws Exception {
        LocalServices.allowConnections(false);
        assertProblem(http.get().uri("/internal/functions").exchange(), 503, ProblemTypes.PLATFORM_ERROR);

        LocalServices.allowConnections(true);

        awaitOk();
    }

    /**
     * Waits for a 200 from {@code GET /internal/functions}: right after an outage a request may still meet a pooled
     * connection the database closed (a 503, and the pool drops it).
     */
    private void awaitOk() throws InterruptedException {
        long deadline = System.nanoTime() + FAST.toNanos();
        int status;
        while ((status = http.get().uri("/internal/functions").exchange().returnResult().getStatus().value()) != 200
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(status).as("GET /internal/functions once the database is up").isEqualTo(200);
    }
}

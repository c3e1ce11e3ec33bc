package io.cloudfunc.registry.idempotency;

import io.cloudfunc.contracts.invocation.ClaimIdempotencyKey;
import io.cloudfunc.contracts.invocation.IdempotencyKeyClaim;
import io.cloudfunc.registry.RegistryProperties;
import io.cloudfunc.support.problem.Problems;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The gateway's calls for invoke requests that carry an {@code Idempotency-Key} (docs/architecture.md,
 * "function-registry internal API"): claim a key before the call, release it when the platform did not take the call.
 * Keys past {@code registry.invocations.idempotency-window} are purged now and then, on a claim.
 */
@RestController
@RequestMapping("/internal/idempotency-keys")
class IdempotencyKeyController {

    private static final long PURGE_EVERY_MS = 60_000;

    private final IdempotencyKeys keys;
    private final Duration window;
    private final AtomicLong lastPurge = new AtomicLong();

    IdempotencyKeyController(IdempotencyKeys keys, RegistryProperties properties) {
        this.keys = keys;
        this.window = properties.invocations().idempotencyWindow();
    }

    @PostMapping
    IdempotencyKeyClaim claim(@RequestBody ClaimIdempotencyKey claim) {
        if (claim.apiKeyId() == null || claim.idempotencyKey() == null || claim.idempotencyKey().isEmpty()
                || claim.fingerprint() == null || claim.invocationId() == null) {
            throw Problems.invalidRequest("apiKeyId, idempotencyKey, fingerprint and invocationId are required.");
        }
        purgeNowAndThen();
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<IdempotencyKeyClaim> answer = keys.claim(claim, window);
            if (answer.isPresent()) {
                return answer.get();
            }
        }
        throw new IllegalStateException("idempotency key claimed and released three times in a row");
    }

    /** 204 whether or not a key named the invocation. */
    @DeleteMapping("/{invocationId}")
    ResponseEntity<Void> release(@PathVariable UUID invocationId) {
        keys.release(invocationId);
        return ResponseEntity.noContent().build();
    }

    private void purgeNowAndThen() {
        long now = System.currentTimeMillis();
        long last = lastPurge.get();
        if (now - last >= PURGE_EVERY_MS && lastPurge.compareAndSet(last, now)) {
            keys.purge(window);
        }
    }
}

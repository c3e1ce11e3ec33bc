package io.cloudfunc.contracts.invocation;

import java.util.UUID;

/**
 * The registry's answer to a {@link ClaimIdempotencyKey}.
 *
 * @param claimed      true when the key was new (or its window had passed): the call runs under the proposed id
 * @param invocationId the invocation the key names: the proposed one when claimed, else the first call's
 * @param fingerprint  the fingerprint stored with the key: another than the one sent means another request
 */
public record IdempotencyKeyClaim(boolean claimed, UUID invocationId, String fingerprint) {
}

/**
 * {@code Idempotency-Key}s of invoke calls: which invocation a key (per API key) names, claimed by the gateway before
 * it runs a call that carries one, and released when the platform did not take the call (docs/api.md, "Idempotent
 * retries").
 */
package io.cloudfunc.registry.idempotency;

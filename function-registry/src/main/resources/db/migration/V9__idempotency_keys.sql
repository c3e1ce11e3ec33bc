-- Idempotency-Key of invoke calls (docs/api.md, "Idempotent retries"): per API key, a key names the first invocation
-- made with it for registry.invocations.idempotency-window; a retry with the same key gets that invocation instead
-- of running the function again. fingerprint: SHA-256 of what the call asked (function, mode, callback, event), so
-- that a key reused for another request is told apart. Rows past the window are replaced on reuse and purged.
CREATE TABLE idempotency_keys (
    api_key_id      UUID        NOT NULL,
    idempotency_key TEXT        NOT NULL,
    fingerprint     TEXT        NOT NULL,
    invocation_id   UUID        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (api_key_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
CREATE INDEX idempotency_keys_invocation_id ON idempotency_keys (invocation_id);

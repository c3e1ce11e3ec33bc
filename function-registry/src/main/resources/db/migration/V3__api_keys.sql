-- API keys. Only the SHA-256 of a secret is stored (hex); the secret itself is shown once, when the key is created.
-- Keys are revoked, never deleted, so that invocation records keep naming the key that made them.
CREATE TABLE api_keys (
    id                UUID         PRIMARY KEY,
    name              VARCHAR(100) NOT NULL,
    role              VARCHAR(16)  NOT NULL CHECK (role IN ('ADMIN', 'DEVELOPER', 'INVOKER')),
    prefix            VARCHAR(16)  NOT NULL,
    secret_sha256     VARCHAR(64)  NOT NULL,
    rate_per_second   INTEGER      CHECK (rate_per_second >= 0),
    rate_burst        INTEGER      CHECK (rate_burst >= 1),
    created_at        TIMESTAMPTZ  NOT NULL,
    expires_at        TIMESTAMPTZ,
    revoked_at        TIMESTAMPTZ,
    last_used_at      TIMESTAMPTZ,
    CONSTRAINT api_keys_secret_sha256_key UNIQUE (secret_sha256),
    CONSTRAINT api_keys_rate_limit_check CHECK ((rate_per_second IS NULL) = (rate_burst IS NULL))
);

-- The key an invocation was made with (null: not through the gateway, or before keys existed). An invoker key reads
-- only its own invocations. No foreign key: the invocation insert is on every call's path.
ALTER TABLE invocations ADD COLUMN api_key_id UUID;

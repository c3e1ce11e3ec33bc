-- Who may call a function as an HTTP function (ANY /fn/{name}): an API key (the default), anyone, or a request signed
-- with the function's webhook secret (HMAC-SHA256 of the body, encrypted here like the versions' secrets). A setting of
-- the function, not of a version: it applies to every version and alias at once.
ALTER TABLE functions ADD COLUMN http_access TEXT NOT NULL DEFAULT 'key'
    CHECK (http_access IN ('key', 'public', 'webhook'));
ALTER TABLE functions ADD COLUMN webhook_secret BYTEA;
ALTER TABLE functions ADD CONSTRAINT functions_webhook_has_secret
    CHECK (http_access <> 'webhook' OR webhook_secret IS NOT NULL);

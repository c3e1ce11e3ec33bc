-- Scaling (instances, per-container concurrency), isolation (network, OCI runtime), custom images and the retry
-- policy of asynchronous calls: per function (its latest configuration) and per immutable version.
ALTER TABLE functions
    ADD COLUMN min_instances    INTEGER      NOT NULL DEFAULT 0,
    ADD COLUMN max_instances    INTEGER      NOT NULL DEFAULT 10,
    ADD COLUMN concurrency      INTEGER      NOT NULL DEFAULT 1,
    ADD COLUMN network          VARCHAR(16)  NOT NULL DEFAULT 'none',
    ADD COLUMN oci_runtime      VARCHAR(63),
    ADD COLUMN image            VARCHAR(255),
    ADD COLUMN max_retries      INTEGER      NOT NULL DEFAULT 0,
    ADD COLUMN retry_backoff_ms BIGINT       NOT NULL DEFAULT 1000;

ALTER TABLE function_versions
    ADD COLUMN min_instances    INTEGER      NOT NULL DEFAULT 0,
    ADD COLUMN max_instances    INTEGER      NOT NULL DEFAULT 10,
    ADD COLUMN concurrency      INTEGER      NOT NULL DEFAULT 1,
    ADD COLUMN network          VARCHAR(16)  NOT NULL DEFAULT 'none',
    ADD COLUMN oci_runtime      VARCHAR(63),
    ADD COLUMN image            VARCHAR(255),
    ADD COLUMN max_retries      INTEGER      NOT NULL DEFAULT 0,
    ADD COLUMN retry_backoff_ms BIGINT       NOT NULL DEFAULT 1000;

ALTER TABLE functions ADD CONSTRAINT functions_instances_check
    CHECK (min_instances >= 0 AND max_instances >= 1 AND min_instances <= max_instances AND concurrency >= 1);
ALTER TABLE function_versions ADD CONSTRAINT function_versions_instances_check
    CHECK (min_instances >= 0 AND max_instances >= 1 AND min_instances <= max_instances AND concurrency >= 1);

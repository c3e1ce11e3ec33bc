-- Dependency builds: what a deploy's requirements.txt or package.json installed (site-packages or node_modules,
-- zipped), built once by a container-manager in a throwaway container and reused by every deploy of the same
-- dependency set on the same runtime image (the digest covers both, and the tool's settings). A version names the
-- build it runs with; the build outlives the functions that used it (a later deploy may reuse it).
CREATE TABLE dependency_builds (
    digest         VARCHAR(64)  PRIMARY KEY,
    runtime        VARCHAR(32)  NOT NULL,
    archive        BYTEA        NOT NULL,
    archive_sha256 VARCHAR(64)  NOT NULL,
    archive_size   BIGINT       NOT NULL,
    build_ms       BIGINT       NOT NULL CHECK (build_ms >= 0),
    created_at     TIMESTAMPTZ  NOT NULL
);
ALTER TABLE dependency_builds ALTER COLUMN archive SET STORAGE EXTERNAL;

ALTER TABLE function_versions ADD COLUMN dependencies_digest VARCHAR(64) REFERENCES dependency_builds (digest);

-- Weighted aliases (traffic split, A/B tests, canaries): an alias that splits its calls lists every version it
-- splits between, its main one (aliases.version) included, with its share in percent; an alias that points at one
-- version has no rows here. The service checks that the weights sum to 100; the keys make a version listed twice or
-- a version that does not exist impossible (versions go only with their function, which takes its aliases along).
CREATE TABLE alias_weights (
    alias_id    BIGINT   NOT NULL REFERENCES aliases (id) ON DELETE CASCADE,
    function_id BIGINT   NOT NULL,
    version     INTEGER  NOT NULL,
    weight      SMALLINT NOT NULL CHECK (weight BETWEEN 1 AND 99),
    position    SMALLINT NOT NULL,
    PRIMARY KEY (alias_id, version),
    CONSTRAINT alias_weights_version_fkey FOREIGN KEY (function_id, version)
        REFERENCES function_versions (function_id, version) ON DELETE CASCADE
);

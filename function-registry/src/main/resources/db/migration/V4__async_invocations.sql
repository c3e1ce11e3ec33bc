-- Asynchronous invocations: how a call was sent, its attempt number (retries), whether it ended as a dead letter,
-- and when a scheduled retry runs. History is read newest first per function with keyset pagination on
-- (accepted_at, id); dead letters across all functions the same way.
ALTER TABLE invocations
    ADD COLUMN mode            VARCHAR(8)   NOT NULL DEFAULT 'SYNC',
    ADD COLUMN attempt         INTEGER      NOT NULL DEFAULT 1,
    ADD COLUMN dead_lettered   BOOLEAN      NOT NULL DEFAULT FALSE,
    ADD COLUMN next_attempt_at TIMESTAMPTZ;

CREATE INDEX invocations_history_idx ON invocations (function_name, accepted_at DESC, id DESC);
CREATE INDEX invocations_dead_letters_idx ON invocations (accepted_at DESC, id DESC) WHERE dead_lettered;
-- superseded by invocations_history_idx (same leading columns)
DROP INDEX invocations_function_accepted_idx;

-- The reconciliation of records that can no longer end (AbandonedInvocations) reads the unfinished ones, oldest
-- first: a small partial index, since almost every record is final.
CREATE INDEX invocations_unfinished_idx ON invocations (accepted_at) WHERE status IN ('QUEUED', 'RUNNING');

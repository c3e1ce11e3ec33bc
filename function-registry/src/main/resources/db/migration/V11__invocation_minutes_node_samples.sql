-- Statistics over time (issue 14, docs/architecture.md "Statistics over time").
--
-- invocation_minutes: per function and minute (UTC), the invocations that ENDED in it (by finished_at): counts by
-- final status and start type, OOM kills, and a histogram of their durations. The registry adds a record to its row
-- in the transaction that makes the record final (InvocationRecordWriter, AbandonedInvocations), so a record written
-- twice counts once and the series outlive the records (RecordRetention). Minutes older than
-- registry.series.minutes-kept (48 h) are moved into invocation_hours (SeriesRollup), whose rows are kept for
-- registry.series.keep (400 d).
--
-- durations[k + 1] counts the calls whose duration_ms falls in bucket k (duration_bucket below): k = ms below 32 ms,
-- then 16 linear sub-buckets per power of two (at most 1/16 of the value wide). Trailing empty buckets are left out,
-- so the array of fast calls is short.
CREATE FUNCTION duration_bucket(ms BIGINT) RETURNS INTEGER
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE WHEN ms < 32 THEN GREATEST(ms, 0)::integer
                ELSE 32 + (63 - position('1' IN ms::bit(64)::text) + 1 - 5) * 16
                        + ((ms >> (63 - position('1' IN ms::bit(64)::text) + 1 - 4)) & 15)::integer
           END;

-- Element-wise sum of two histograms of any lengths.
CREATE FUNCTION durations_add(a INTEGER[], b INTEGER[]) RETURNS INTEGER[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (SELECT coalesce(array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i), '{}')
            FROM unnest(a, b) WITH ORDINALITY AS u(x, y, i));

CREATE AGGREGATE durations_sum(INTEGER[]) (SFUNC = durations_add, STYPE = INTEGER[], INITCOND = '{}');

CREATE TABLE invocation_minutes (
    function_name VARCHAR(63) NOT NULL,
    t             TIMESTAMPTZ NOT NULL,
    invocations   BIGINT      NOT NULL,
    succeeded     BIGINT      NOT NULL,
    errors        BIGINT      NOT NULL,
    timeouts      BIGINT      NOT NULL,
    oom           BIGINT      NOT NULL,
    cold          BIGINT      NOT NULL,
    prewarmed     BIGINT      NOT NULL,
    warm          BIGINT      NOT NULL,
    durations     INTEGER[]   NOT NULL,
    PRIMARY KEY (function_name, t)
);
-- all functions over a window and the rollup read by time
CREATE INDEX invocation_minutes_t_idx ON invocation_minutes (t);
CREATE TABLE invocation_hours (LIKE invocation_minutes INCLUDING ALL);

-- node_sample_minutes: warm containers per container-manager node (NodeSample, on cloudfunc.node-samples), the
-- largest count a node reported in the minute; rolled up into node_sample_hours (the largest of the hour) like the
-- invocations.
CREATE TABLE node_sample_minutes (
    node_id         VARCHAR(255) NOT NULL,
    t               TIMESTAMPTZ  NOT NULL,
    warm_containers INTEGER      NOT NULL,
    PRIMARY KEY (node_id, t)
);
CREATE INDEX node_sample_minutes_t_idx ON node_sample_minutes (t);
CREATE TABLE node_sample_hours (LIKE node_sample_minutes INCLUDING ALL);

-- The records that are final already: counted once here, by the minute they ended in (the rollup makes hours of the
-- old ones at its first round).
WITH finished AS (
    SELECT function_name, date_bin('1 minute', finished_at, TIMESTAMPTZ '1970-01-01Z') AS t, status, start_type, duration_ms,
           error_kind, error ->> 'type' AS error_type
    FROM invocations
    WHERE status IN ('SUCCEEDED', 'FAILED', 'TIMED_OUT') AND finished_at IS NOT NULL
), counts AS (
    SELECT function_name, t, count(*) AS invocations,
           count(*) FILTER (WHERE status = 'SUCCEEDED') AS succeeded,
           count(*) FILTER (WHERE status = 'FAILED') AS errors,
           count(*) FILTER (WHERE status = 'TIMED_OUT') AS timeouts,
           count(*) FILTER (WHERE error_type = 'OutOfMemoryError') AS oom,
           count(*) FILTER (WHERE start_type = 'COLD') AS cold,
           count(*) FILTER (WHERE start_type = 'PREWARMED') AS prewarmed,
           count(*) FILTER (WHERE start_type = 'WARM') AS warm
    FROM finished GROUP BY function_name, t
), buckets AS (
    SELECT function_name, t, duration_bucket(duration_ms) AS k, count(*)::integer AS n
    FROM finished WHERE duration_ms IS NOT NULL GROUP BY function_name, t, k
), histograms AS (
    SELECT g.function_name, g.t, array_agg(coalesce(b.n, 0) ORDER BY g.k) AS durations
    FROM (SELECT function_name, t, generate_series(0, max(k)) AS k FROM buckets GROUP BY function_name, t) g
    LEFT JOIN buckets b USING (function_name, t, k)
    GROUP BY g.function_name, g.t
)
INSERT INTO invocation_minutes (function_name, t, invocations, succeeded, errors, timeouts, oom, cold, prewarmed,
                               warm, durations)
SELECT c.function_name, c.t, c.invocations, c.succeeded, c.errors, c.timeouts, c.oom, c.cold, c.prewarmed, c.warm,
       coalesce(h.durations, '{}')
FROM counts c LEFT JOIN histograms h USING (function_name, t);

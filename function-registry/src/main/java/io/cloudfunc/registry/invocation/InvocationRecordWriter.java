package io.cloudfunc.registry.invocation;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationStarted;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.RetryScheduled;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.registry.metrics.InvocationMetrics;
import io.cloudfunc.registry.series.EndedCall;
import io.cloudfunc.registry.series.InvocationSeries;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The only code that writes invocation records, and the one place their state rules live, as SQL: every write is
 * idempotent and order-independent, because records come as messages that may be redelivered, or overtake each
 * other.
 * <ul>
 *   <li>created: a new record is QUEUED; an existing one keeps its state and only gains the request, an earlier
 *       acceptance time and the API key (its completion may have come first);</li>
 *   <li>started: QUEUED (or RUNNING at an older attempt) becomes RUNNING at that attempt; a final record, one at a
 *       later attempt, or an unknown id (the mark carries no function) stays as it is;</li>
 *   <li>retried: back to QUEUED at the next attempt, with the failed attempt's error, unless final or already at
 *       that attempt or a later one; an unknown id creates the record (an outside producer's call);</li>
 *   <li>completed: the final state, once: never over a final state (except {@code Abandoned}, the registry's own
 *       guess, {@link AbandonedInvocations}) nor from an attempt older than the record's; an unknown id creates the
 *       record.</li>
 * </ul>
 * Each kind is one batched statement with its rows in id order, so that two overlapping transactions lock rows in
 * the same order.
 */
@Repository
class InvocationRecordWriter {

    private static final Logger log = LoggerFactory.getLogger(InvocationRecordWriter.class);

    private static final String CREATE = """
            INSERT INTO invocations (id, function_name, version, status, request, accepted_at, mode, api_key_id)
            VALUES (?, ?, ?, 'QUEUED', CAST(? AS jsonb), ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                request = COALESCE(invocations.request, EXCLUDED.request),
                api_key_id = COALESCE(invocations.api_key_id, EXCLUDED.api_key_id),
                accepted_at = LEAST(invocations.accepted_at, EXCLUDED.accepted_at),
                mode = CASE WHEN EXCLUDED.mode = 'ASYNC' THEN 'ASYNC' ELSE invocations.mode END
            """;
    private static final String START = """
            UPDATE invocations SET status = 'RUNNING', started_at = ?, attempt = ?, next_attempt_at = NULL
            WHERE id = ? AND (status = 'QUEUED' AND attempt <= ? OR status = 'RUNNING' AND attempt < ?)
            """;
    private static final String RETRY = """
            INSERT INTO invocations (id, function_name, version, status, error, error_kind, accepted_at, mode, attempt,
                                     next_attempt_at)
            VALUES (?, ?, ?, 'QUEUED', CAST(? AS jsonb), ?, ?, 'ASYNC', ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                status = 'QUEUED',
                mode = 'ASYNC',
                attempt = EXCLUDED.attempt,
                error = EXCLUDED.error,
                error_kind = EXCLUDED.error_kind,
                next_attempt_at = EXCLUDED.next_attempt_at,
                start_type = NULL,
                started_at = NULL
            WHERE invocations.status NOT IN ('SUCCEEDED', 'FAILED', 'TIMED_OUT')
              AND EXCLUDED.attempt > invocations.attempt
            """;
    private static final String COMPLETE = """
            INSERT INTO invocations (id, function_name, version, status, start_type, result, error, error_kind,
                                     logs, accepted_at, started_at, finished_at, duration_ms, mode, attempt,
                                     dead_lettered)
            VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                status = EXCLUDED.status,
                start_type = EXCLUDED.start_type,
                result = EXCLUDED.result,
                error = EXCLUDED.error,
                error_kind = EXCLUDED.error_kind,
                logs = EXCLUDED.logs,
                started_at = COALESCE(EXCLUDED.started_at, invocations.started_at),
                finished_at = EXCLUDED.finished_at,
                duration_ms = EXCLUDED.duration_ms,
                mode = CASE WHEN EXCLUDED.mode = 'ASYNC' THEN 'ASYNC' ELSE invocations.mode END,
                attempt = EXCLUDED.attempt,
                dead_lettered = EXCLUDED.dead_lettered,
                next_attempt_at = NULL
            WHERE (invocations.status NOT IN ('SUCCEEDED', 'FAILED', 'TIMED_OUT')
                   OR invocations.error_kind = 'PLATFORM' AND invocations.error ->> 'type' = 'Abandoned')
              AND EXCLUDED.attempt >= invocations.attempt
            """;
    /**
     * Before COMPLETE, in its transaction: the {@code Abandoned} records among those about to be completed (which a
     * completion replaces, so the series take them out again), with the unfinished ones locked too, so that the
     * reconciliation (which skips locked rows) cannot end one between this read and COMPLETE.
     */
    private static final String REPLACEABLE = """
            SELECT id, function_name, finished_at, status, start_type, duration_ms, error ->> 'type' AS error_type
            FROM invocations
            WHERE id = ANY (?)
              AND (status IN ('QUEUED', 'RUNNING')
                   OR status = 'FAILED' AND error_kind = 'PLATFORM' AND error ->> 'type' = 'Abandoned')
            ORDER BY id
            FOR UPDATE
            """;

    private final JdbcTemplate jdbc;
    /** A plain JDBC transaction: no Hibernate session is opened for statements that never touch it. */
    private final TransactionTemplate transaction;
    private final JsonMapper json;
    private final InvocationMetrics metrics;
    private final InvocationSeries series;

    InvocationRecordWriter(JdbcTemplate jdbc, JsonMapper json, InvocationMetrics metrics, InvocationSeries series) {
        this.jdbc = jdbc;
        this.metrics = metrics;
        this.series = series;
        this.transaction = new TransactionTemplate(new JdbcTransactionManager(jdbc.getDataSource()));
        this.json = json;
    }

    /**
     * Applies every record in ONE transaction, in the order created, started, retried, completed; tried once more
     * when PostgreSQL failed it on a lock (a deadlock with another consumer's transaction). The records must be
     * {@linkplain #invalid(CreateInvocation) valid}. The invocations this write made final are added to their minute
     * of the {@linkplain InvocationSeries series} in the same transaction, and once committed counted in the
     * {@linkplain InvocationMetrics metrics} (a redelivered completion changes no row: counted in neither).
     *
     * @throws org.springframework.dao.DataAccessException the database refused a value (a data exception, SQLState
     *         class 22), or could not be reached
     */
    void apply(InvocationRecords records) {
        List<Object[]> created = rows(records.created(), CreateInvocation::id, this::row);
        List<Object[]> started = rows(records.started(), InvocationStarted::invocationId, InvocationRecordWriter::row);
        List<Object[]> retried = rows(records.retried(), RetryScheduled::invocationId, this::row);
        List<InvocationCompleted> completions = records.completed().stream()
                .sorted(Comparator.comparing(InvocationCompleted::invocationId)).toList();
        List<Object[]> completed = completions.stream().map(this::row).toList();
        Supplier<int[]> statements = () -> {
            batch(CREATE, created);
            batch(START, started);
            batch(RETRY, retried);
            Map<UUID, EndedCall> abandoned = abandonedAmong(completions);
            int[] rows = batch(COMPLETE, completed);
            countInSeries(completions, completed, rows, abandoned);
            return rows;
        };
        int[] completedRows;
        try {
            completedRows = transaction.execute(status -> statements.get());
        } catch (PessimisticLockingFailureException e) {
            log.debug("Records of {} invocations failed on a lock, retrying: {}", records.size(), e.getMessage());
            completedRows = transaction.execute(status -> statements.get());
        }
        metrics.finished(madeFinal(completions, completedRows));
    }

    /**
     * The completions whose row was written: COMPLETE changes no row when the invocation was final already. (A
     * driver that cannot tell, {@link Statement#SUCCESS_NO_INFO}, counts as written.)
     */
    private static List<InvocationCompleted> madeFinal(List<InvocationCompleted> completions, int[] rows) {
        List<InvocationCompleted> made = new ArrayList<>();
        for (int i = 0; i < completions.size(); i++) {
            if (rows[i] != 0) {
                made.add(completions.get(i));
            }
        }
        return made;
    }

    /** The {@code Abandoned} records among the completions' (locking the unfinished ones until the commit). */
    private Map<UUID, EndedCall> abandonedAmong(List<InvocationCompleted> completions) {
        Map<UUID, EndedCall> abandoned = new HashMap<>();
        if (completions.isEmpty()) {
            return abandoned;
        }
        UUID[] ids = completions.stream().map(InvocationCompleted::invocationId).toArray(UUID[]::new);
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(REPLACEABLE);
            statement.setArray(1, connection.createArrayOf("uuid", ids));
            return statement;
        }, (RowCallbackHandler) rs -> {
            if (!"FAILED".equals(rs.getString("status"))) {
                return;
            }
            long duration = rs.getLong("duration_ms");
            Long durationMs = rs.wasNull() ? null : duration;
            abandoned.put(rs.getObject("id", UUID.class), new EndedCall(rs.getString("function_name"),
                    rs.getTimestamp("finished_at").toInstant(), "FAILED", rs.getString("start_type"),
                    rs.getString("start_type") == null ? null : durationMs, rs.getString("error_type")));
        });
        return abandoned;
    }

    /** Adds the completions COMPLETE made final to the series, and takes out the abandoned records they replaced. */
    private void countInSeries(List<InvocationCompleted> completions, List<Object[]> rows, int[] written,
                               Map<UUID, EndedCall> abandoned) {
        List<EndedCall> ended = new ArrayList<>();
        List<EndedCall> replaced = new ArrayList<>();
        for (int i = 0; i < completions.size(); i++) {
            if (written[i] == 0) {
                continue;
            }
            InvocationCompleted completed = completions.get(i);
            Object[] row = rows.get(i);
            ended.add(new EndedCall(completed.functionName(), ((Timestamp) row[FINISHED_AT]).toInstant(),
                    completed.status().name(), nameOrNull(completed.startType()),
                    completed.startType() == null ? null : completed.durationMs(),
                    completed.error() == null ? null : completed.error().type()));
            EndedCall replacedCall = abandoned.get(completed.invocationId());
            if (replacedCall != null) {
                replaced.add(replacedCall);
            }
        }
        series.count(ended, replaced);
    }

    private int[] batch(String sql, List<Object[]> rows) {
        return rows.isEmpty() ? new int[0] : jdbc.batchUpdate(sql, rows);
    }

    private static <T> List<Object[]> rows(List<T> records, Function<T, UUID> id, Function<T, Object[]> row) {
        return records.stream().sorted(Comparator.comparing(id)).map(row).toList();
    }

    private Object[] row(CreateInvocation create) {
        JsonNode request = NulCharacters.clean(create.request());
        return new Object[] {create.id(), create.functionName(), create.version(), jsonOrNull(request),
                timestamp(create.acceptedAt() == null ? Instant.now() : create.acceptedAt()), create.mode().name(),
                create.apiKeyId()};
    }

    private static Object[] row(InvocationStarted started) {
        return new Object[] {timestamp(started.startedAt() == null ? Instant.now() : started.startedAt()),
                started.attempt(), started.invocationId(), started.attempt(), started.attempt()};
    }

    private Object[] row(RetryScheduled retry) {
        return new Object[] {retry.invocationId(), retry.functionName(), retry.version(),
                jsonOrNull(NulCharacters.clean(retry.error())), nameOrNull(retry.errorKind()),
                timestamp(Instant.now()), retry.nextAttempt(),
                retry.nextAttemptAt() == null ? null : timestamp(retry.nextAttemptAt())};
    }

    /** Where {@link #row(InvocationCompleted)} puts the finish time. */
    private static final int FINISHED_AT = 11;

    private Object[] row(InvocationCompleted completed) {
        FunctionError error = NulCharacters.clean(completed.error());
        Instant finishedAt = completed.finishedAt() == null ? Instant.now() : completed.finishedAt();
        Instant startedAt = completed.startedAt();
        return new Object[] {completed.invocationId(), completed.functionName(), completed.version(),
                completed.status().name(), nameOrNull(completed.startType()),
                jsonOrNull(NulCharacters.clean(completed.result())), jsonOrNull(error),
                nameOrNull(completed.errorKind()), NulCharacters.clean(completed.logs()),
                timestamp(startedAt == null ? finishedAt : startedAt),
                startedAt == null ? null : timestamp(startedAt), timestamp(finishedAt), completed.durationMs(),
                completed.mode().name(), completed.attempt(), completed.deadLettered()};
    }

    /** Why this record cannot be stored, or null when it can. */
    static String invalid(CreateInvocation create) {
        if (create.id() == null) {
            return "a created record needs an id";
        }
        return invalidFunction(create.functionName(), create.version());
    }

    static String invalid(InvocationStarted started) {
        return started.invocationId() == null ? "a started record needs an invocationId" : null;
    }

    static String invalid(RetryScheduled retry) {
        if (retry.invocationId() == null) {
            return "a retried record needs an invocationId";
        }
        if (retry.nextAttempt() < 2) {
            return "nextAttempt must be 2 or more, got " + retry.nextAttempt();
        }
        return invalidFunction(retry.functionName(), retry.version());
    }

    static String invalid(InvocationCompleted completed) {
        if (completed.invocationId() == null) {
            return "a completed record needs an invocationId";
        }
        if (completed.status() == null || !completed.status().isFinal()) {
            return "status must be a final state (" + finalStates() + "), got " + completed.status();
        }
        return invalidFunction(completed.functionName(), completed.version());
    }

    private static String invalidFunction(String functionName, int version) {
        if (!FunctionNames.isValid(functionName)) {
            return "invalid function name '" + functionName + "': " + FunctionNames.RULE;
        }
        return version < 1 ? "version must be 1 or more, got " + version : null;
    }

    private static String finalStates() {
        List<String> states = new ArrayList<>();
        for (InvocationStatus status : InvocationStatus.values()) {
            if (status.isFinal()) {
                states.add(status.name());
            }
        }
        return String.join(", ", states);
    }

    private String jsonOrNull(Object value) {
        return value == null ? null : json.writeValueAsString(value);
    }

    private static String nameOrNull(Enum<?> value) {
        return value == null ? null : value.name();
    }

    /** PostgreSQL keeps microseconds. */
    private static Timestamp timestamp(Instant instant) {
        return Timestamp.from(instant.truncatedTo(ChronoUnit.MICROS));
    }
}

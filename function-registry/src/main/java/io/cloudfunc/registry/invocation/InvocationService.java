package io.cloudfunc.registry.invocation;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationPage;
import io.cloudfunc.contracts.invocation.InvocationView;
import io.cloudfunc.contracts.invocation.RetryScheduled;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.registry.problem.DataExceptions;
import io.cloudfunc.registry.problem.RegistryProblems;
import io.cloudfunc.support.problem.Problems;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps invocation records. Every write is idempotent, because its callers retry and their messages may be
 * redelivered: creating an existing record returns it, a completion is recorded once, and a completion for a record
 * that does not exist yet (its creation was lost or is late) creates it, so no outcome is lost.
 */
@Service
class InvocationService {

    private static final Logger log = LoggerFactory.getLogger(InvocationService.class);
    private static final java.util.Comparator<CreateInvocation> BY_ID =
            java.util.Comparator.comparing(CreateInvocation::id);
    private static final java.util.Comparator<InvocationCompleted> COMPLETED_BY_ID =
            java.util.Comparator.comparing(InvocationCompleted::invocationId);

    private final InvocationRepository invocations;
    private final TransactionTemplate transaction;
    /** For the JDBC-only batch writes: a plain JDBC transaction, without opening a Hibernate session for it. */
    private final TransactionTemplate jdbcTransaction;
    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    InvocationService(InvocationRepository invocations, PlatformTransactionManager transactionManager,
                      JdbcTemplate jdbc, JsonMapper json) {
        this.invocations = invocations;
        this.transaction = new TransactionTemplate(transactionManager);
        // The JPA transaction manager would create and close an EntityManager per batch (about a tenth of the
        // registry's CPU on the invoke path in issue 5's profile) for statements that never touch it.
        this.jdbcTransaction = new TransactionTemplate(new JdbcTransactionManager(jdbc.getDataSource()));
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The record as it stands after a create, and whether this call created it. */
    record Recorded(InvocationView view, boolean created) {
    }

    Recorded create(CreateInvocation create) {
        if (create.id() == null) {
            throw Problems.invalidRequest("id is required");
        }
        checkFunction(create.functionName(), create.version());
        Instant acceptedAt = micros(create.acceptedAt() == null ? Instant.now() : create.acceptedAt());
        JsonNode request = NulCharacters.clean(create.request());
        return insertOnce(() -> {
            Optional<InvocationEntity> existing = invocations.findByIdForUpdate(create.id());
            if (existing.isPresent()) {
                // The completion may have arrived first (the scheduler records and publishes in parallel): the
                // record keeps its final state and gains the request and acceptance time only this call knows.
                InvocationEntity entity = existing.get();
                if (entity.fillAcceptance(request, acceptedAt, create.apiKeyId())) {
                    entity = invocations.saveAndFlush(entity);
                }
                return new Recorded(entity.toView(), false);
            }
            InvocationEntity entity = new InvocationEntity(create.id(), create.functionName(), create.version(),
                    request, acceptedAt, create.mode(), create.apiKeyId());
            return new Recorded(invocations.saveAndFlush(entity).toView(), true);
        });
    }

    void markRunning(UUID id, Instant startedAt, int attempt) {
        Instant at = micros(startedAt == null ? Instant.now() : startedAt);
        transaction.executeWithoutResult(status -> {
            InvocationEntity entity = invocations.findByIdForUpdate(id)
                    .orElseThrow(() -> RegistryProblems.invocationNotFound(id));
            if (!entity.markRunning(at, attempt)) {
                log.debug("Invocation {} is past QUEUED or at a later attempt; RUNNING mark ignored", id);
            }
        });
    }

    void complete(UUID id, InvocationCompleted received) {
        InvocationCompleted completed = withoutNul(received);
        if (completed.invocationId() != null && !completed.invocationId().equals(id)) {
            throw Problems.invalidRequest("invocationId " + completed.invocationId()
                    + " in the body does not match the id " + id + " in the path");
        }
        if (completed.status() == null || !completed.status().isFinal()) {
            throw Problems.invalidRequest(
                    "status must be a final state (SUCCEEDED, FAILED or TIMED_OUT), got " + completed.status());
        }
        Instant finishedAt = micros(completed.finishedAt() == null ? Instant.now() : completed.finishedAt());
        Instant startedAt = completed.startedAt() == null ? null : micros(completed.startedAt());
        insertOnce(() -> {
            Optional<InvocationEntity> existing = invocations.findByIdForUpdate(id);
            if (existing.isPresent()) {
                if (!existing.get().complete(completed, startedAt, finishedAt)) {
                    log.debug("Invocation {} already final; repeated completion ignored", id);
                }
                return null;
            }
            checkFunction(completed.functionName(), completed.version());
            log.debug("Invocation {} of {} completed before it was recorded; recording it now", id,
                    completed.functionName());
            InvocationEntity entity = new InvocationEntity(id, completed.functionName(), completed.version(), null,
                    startedAt == null ? finishedAt : startedAt, completed.mode(), null);
            entity.complete(completed, startedAt, finishedAt);
            invocations.saveAndFlush(entity);
            return null;
        });
    }

    /**
     * Records many accepted invocations as QUEUED in one transaction of batched inserts: the asynchronous hot path,
     * where the scheduler gathers the records of concurrent calls. Idempotent like {@link #create}: a record that
     * exists (a retry, or a completion that came first) keeps its state and gains the request and acceptance time.
     */
    void createAll(List<CreateInvocation> creates) {
        if (creates.stream().anyMatch(create -> create == null || create.id() == null)) {
            throw Problems.invalidRequest("every record needs an id");
        }
        List<Object[]> rows = new ArrayList<>(creates.size());
        // In id order, as completeAll writes: two batches sharing ids then lock them in the same order, never in a
        // cycle (a QUEUED batch and a completion batch in opposite orders deadlocked, and PostgreSQL broke it after
        // deadlock_timeout, 1 s, by failing one of them).
        for (CreateInvocation create : creates.stream().sorted(BY_ID).toList()) {
            checkFunction(create.functionName(), create.version());
            Instant acceptedAt = micros(create.acceptedAt() == null ? Instant.now() : create.acceptedAt());
            JsonNode request = NulCharacters.clean(create.request());
            rows.add(new Object[] {create.id(), create.functionName(), create.version(),
                    request == null ? null : json.writeValueAsString(request), Timestamp.from(acceptedAt),
                    create.mode().name(), create.apiKeyId()});
        }
        batchInTransaction("""
                INSERT INTO invocations (id, function_name, version, status, request, accepted_at, mode, api_key_id)
                VALUES (?, ?, ?, 'QUEUED', CAST(? AS jsonb), ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET
                    request = COALESCE(invocations.request, EXCLUDED.request),
                    api_key_id = COALESCE(invocations.api_key_id, EXCLUDED.api_key_id),
                    accepted_at = LEAST(invocations.accepted_at, EXCLUDED.accepted_at),
                    mode = EXCLUDED.mode
                """, rows);
    }

    /**
     * Records many final states in one transaction of batched upserts: the container-manager's hot path, where it
     * gathers the completions of concurrent calls. Same rules as {@link #complete}, in SQL instead of a locking read
     * per row: a missing record is created from the completion; an existing one takes it only while not final and
     * not at a later attempt (a redelivered or late message changes nothing). Rows are written in id order, so two
     * overlapping batches lock them in the same order.
     */
    void completeAll(List<InvocationCompleted> received) {
        if (received.stream().anyMatch(completion -> completion == null || completion.invocationId() == null)) {
            throw Problems.invalidRequest("every completion needs an invocationId");
        }
        List<Object[]> rows = new ArrayList<>(received.size());
        for (InvocationCompleted raw : received.stream().sorted(COMPLETED_BY_ID).toList()) {
            InvocationCompleted completed = withoutNul(raw);
            if (completed.status() == null || !completed.status().isFinal()) {
                throw Problems.invalidRequest("status must be a final state (SUCCEEDED, FAILED or TIMED_OUT), got "
                        + completed.status() + " for " + completed.invocationId());
            }
            checkFunction(completed.functionName(), completed.version());
            Instant finishedAt = micros(completed.finishedAt() == null ? Instant.now() : completed.finishedAt());
            Instant startedAt = completed.startedAt() == null ? null : micros(completed.startedAt());
            rows.add(new Object[] {completed.invocationId(), completed.functionName(), completed.version(),
                    completed.status().name(), nameOrNull(completed.startType()), jsonOrNull(completed.result()),
                    jsonOrNull(completed.error()), nameOrNull(completed.errorKind()), completed.logs(),
                    Timestamp.from(startedAt == null ? finishedAt : startedAt),
                    startedAt == null ? null : Timestamp.from(startedAt), Timestamp.from(finishedAt),
                    completed.durationMs(), completed.mode().name(), completed.attempt(),
                    completed.deadLettered()});
        }
        batchInTransaction("""
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
                WHERE invocations.status NOT IN ('SUCCEEDED', 'FAILED', 'TIMED_OUT')
                  AND EXCLUDED.attempt >= invocations.attempt
                """, rows);
    }

    /**
     * One batch of statements in one transaction, tried once more when PostgreSQL failed it on a lock (a deadlock with
     * a writer that does not sort its rows, such as a single create's locking read racing a batch).
     */
    private void batchInTransaction(String sql, List<Object[]> rows) {
        try {
            jdbcTransaction.executeWithoutResult(status -> jdbc.batchUpdate(sql, rows));
        } catch (PessimisticLockingFailureException e) {
            log.debug("Batch of {} rows failed on a lock, retrying: {}", rows.size(), e.getMessage());
            jdbcTransaction.executeWithoutResult(status -> jdbc.batchUpdate(sql, rows));
        }
    }

    private static String nameOrNull(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private String jsonOrNull(Object value) {
        return value == null ? null : json.writeValueAsString(value);
    }

    /** A failed attempt of an ASYNC call will run again: see {@link InvocationEntity#retry}. */
    void retry(UUID id, RetryScheduled retry) {
        if (retry.invocationId() != null && !retry.invocationId().equals(id)) {
            throw Problems.invalidRequest("invocationId " + retry.invocationId()
                    + " in the body does not match the id " + id + " in the path");
        }
        if (retry.nextAttempt() < 2) {
            throw Problems.invalidRequest("nextAttempt must be 2 or more, got " + retry.nextAttempt());
        }
        RetryScheduled cleaned = new RetryScheduled(retry.invocationId(), retry.functionName(), retry.version(),
                retry.failedStatus(), NulCharacters.clean(retry.error()), retry.errorKind(), retry.nextAttempt(),
                retry.nextAttemptAt() == null ? null : micros(retry.nextAttemptAt()));
        insertOnce(() -> {
            Optional<InvocationEntity> existing = invocations.findByIdForUpdate(id);
            if (existing.isPresent()) {
                if (!existing.get().retry(cleaned)) {
                    log.debug("Invocation {} is final or past attempt {}; retry mark ignored", id,
                            cleaned.nextAttempt());
                }
                return null;
            }
            // An outside producer's call: no QUEUED record was written, the first failure creates it.
            checkFunction(retry.functionName(), retry.version());
            InvocationEntity entity = new InvocationEntity(id, retry.functionName(), retry.version(), null,
                    micros(Instant.now()), io.cloudfunc.contracts.invocation.InvocationMode.ASYNC, null);
            entity.retry(cleaned);
            invocations.saveAndFlush(entity);
            return null;
        });
    }

    /**
     * A page of records matching {@code query}, newest first (acceptance time, then id); with {@code ownerKeyId},
     * only the records of calls that key made (an invoker's view).
     */
    @Transactional(readOnly = true)
    InvocationPage page(HistoryQuery query, boolean deadLettersOnly, UUID ownerKeyId) {
        Specification<InvocationEntity> spec = (root, q, cb) -> {
            var where = new ArrayList<jakarta.persistence.criteria.Predicate>();
            if (ownerKeyId != null) {
                where.add(cb.equal(root.get("apiKeyId"), ownerKeyId));
            }
            if (query.functionName() != null) {
                where.add(cb.equal(root.get("functionName"), query.functionName()));
            }
            if (deadLettersOnly) {
                where.add(cb.isTrue(root.get("deadLettered")));
            }
            if (query.status() != null) {
                where.add(cb.equal(root.get("status"), query.status()));
            }
            if (query.from() != null) {
                where.add(cb.greaterThanOrEqualTo(root.get("acceptedAt"), query.from()));
            }
            if (query.to() != null) {
                where.add(cb.lessThan(root.get("acceptedAt"), query.to()));
            }
            if (query.cursor() != null) {
                where.add(cb.or(cb.lessThan(root.get("acceptedAt"), query.cursor().acceptedAt()),
                        cb.and(cb.equal(root.get("acceptedAt"), query.cursor().acceptedAt()),
                                cb.lessThan(root.<UUID>get("id"), query.cursor().id()))));
            }
            return cb.and(where.toArray(jakarta.persistence.criteria.Predicate[]::new));
        };
        Sort newestFirst = Sort.by(Sort.Order.desc("acceptedAt"), Sort.Order.desc("id"));
        List<InvocationEntity> found = invocations.findBy(spec,
                fluent -> fluent.sortBy(newestFirst).limit(query.limit() + 1).all());
        boolean more = found.size() > query.limit();
        List<InvocationView> items = found.stream().limit(query.limit()).map(InvocationEntity::toView).toList();
        String next = null;
        if (more) {
            InvocationView last = items.getLast();
            next = new HistoryCursor(last.acceptedAt(), last.id()).encode();
        }
        return new InvocationPage(items, next);
    }

    boolean functionExists(String functionName) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM functions WHERE name = ?)",
                Boolean.class, functionName));
    }

    /** The completion as it can be stored: PostgreSQL takes no NUL character in JSONB or TEXT. */
    private static InvocationCompleted withoutNul(InvocationCompleted completed) {
        JsonNode result = NulCharacters.clean(completed.result());
        FunctionError error = NulCharacters.clean(completed.error());
        String logs = NulCharacters.clean(completed.logs());
        if (result == completed.result() && error == completed.error() && logs == completed.logs()) {
            return completed;
        }
        return new InvocationCompleted(completed.invocationId(), completed.functionName(), completed.version(),
                completed.status(), completed.startType(), result, error, completed.errorKind(), logs,
                completed.startedAt(), completed.finishedAt(), completed.durationMs(), completed.attempt(),
                completed.deadLettered(), completed.mode());
    }

    /**
     * The record; with {@code callerKeyId}, only if that key made the call: another key's record is "not found", so
     * that an invoker learns nothing about calls it did not make.
     */
    @Transactional(readOnly = true)
    InvocationView get(UUID id, UUID callerKeyId) {
        return invocations.findById(id)
                .filter(entity -> callerKeyId == null || entity.madeBy(callerKeyId))
                .map(InvocationEntity::toView)
                .orElseThrow(() -> RegistryProblems.invocationNotFound(id));
    }

    /**
     * Runs {@code work} in a transaction; when it lost a race to insert the same id, runs it once more, and then
     * finds the record the winner wrote.
     */
    private <T> T insertOnce(Supplier<T> work) {
        try {
            return transaction.execute(status -> work.get());
        } catch (DataIntegrityViolationException e) {
            if (DataExceptions.isDataException(e)) {
                throw e; // a value PostgreSQL cannot store: a retry would fail the same way
            }
            log.debug("Concurrent insert of one invocation, retrying: {}", e.getMessage());
            return transaction.execute(status -> work.get());
        }
    }

    private static void checkFunction(String functionName, int version) {
        if (!FunctionNames.isValid(functionName)) {
            throw Problems.invalidRequest("invalid function name '" + functionName + "': "
                    + FunctionNames.RULE);
        }
        if (version < 1) {
            throw Problems.invalidRequest("version must be 1 or more, got " + version);
        }
    }

    /** PostgreSQL keeps microseconds: answering with what is stored keeps every read of a record the same. */
    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}

package io.cloudfunc.registry.invocation;

import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.registry.RegistryProperties;
import io.cloudfunc.registry.series.EndedCall;
import io.cloudfunc.registry.series.InvocationSeries;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reconciliation of records that can no longer end: every {@code registry.invocations.reconcile-interval} (1 min)
 * a QUEUED or RUNNING record whose last sign of life (its acceptance, the start of its attempt, the time its retry
 * was due, whichever is latest) is older than {@code registry.invocations.abandon-after} (1 h, longer than any
 * function may run) is ended as FAILED, error type {@value #ERROR_TYPE}, kind PLATFORM, and an asynchronous one is a
 * dead letter. Such a record's message is gone (a broker re-created without its data, a message dropped by hand):
 * nothing will ever end it otherwise.
 *
 * <p>The registry cannot see whether a message still waits somewhere (a node down for longer than the window), so it
 * does not publish the call again, which could run it twice: should the call still run, its outcome replaces the
 * {@value #ERROR_TYPE} failure ({@link InvocationRecordWriter}). Safe with several registries: one statement per
 * batch, whose rows are locked with {@code SKIP LOCKED} and whose condition is checked again on the locked row.
 * A batch's records are counted in the {@linkplain InvocationSeries series} (as errors) in its transaction.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class AbandonedInvocations implements SchedulingConfigurer {

    /** The error type of a record ended by the reconciliation: the only final state a later outcome replaces. */
    static final String ERROR_TYPE = "Abandoned";
    private static final Logger log = LoggerFactory.getLogger(AbandonedInvocations.class);
    /** Rows per statement, so that a large backlog does not hold locks on all of it at once. */
    private static final int BATCH = 500;
    private static final String END_ABANDONED = """
            UPDATE invocations SET status = 'FAILED', error = CAST(? AS jsonb), error_kind = 'PLATFORM',
                finished_at = ?, dead_lettered = (mode = 'ASYNC'), next_attempt_at = NULL
            WHERE id IN (SELECT id FROM invocations
                         WHERE status IN ('QUEUED', 'RUNNING') AND accepted_at < ?
                           AND GREATEST(accepted_at, started_at, next_attempt_at) < ?
                         ORDER BY accepted_at
                         LIMIT ?
                         FOR UPDATE SKIP LOCKED)
              AND status IN ('QUEUED', 'RUNNING')
              AND GREATEST(accepted_at, started_at, next_attempt_at) < ?
            RETURNING function_name, finished_at, start_type
            """;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final InvocationSeries series;
    private final Duration abandonAfter;
    private final Duration interval;
    private final Clock clock;
    private final String error;
    private final Counter abandoned;

    AbandonedInvocations(JdbcTemplate jdbc, RegistryProperties properties, JsonMapper json, MeterRegistry meters,
                         InvocationSeries series) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(new JdbcTransactionManager(jdbc.getDataSource()));
        this.series = series;
        this.abandonAfter = properties.invocations().abandonAfter();
        this.interval = properties.invocations().reconcileInterval();
        this.clock = Clock.systemUTC();
        this.error = json.writeValueAsString(FunctionError.of(ERROR_TYPE, "the call showed no sign of life for "
                + abandonAfter + " (no attempt started, ended or was due): the message that would run it is gone. "
                + "Should it still run, its outcome replaces this one."));
        this.abandoned = Counter.builder("cloudfunc.invocations.abandoned")
                .description("Invocation records ended as FAILED (Abandoned) by the reconciliation").register(meters);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::reconcile, interval);
    }

    /** One round of the reconciliation; a database that cannot be reached waits for the next. */
    void reconcile() {
        try {
            int ended = endAbandoned();
            if (ended > 0) {
                log.warn("Ended {} invocation records as FAILED ({}): no sign of life for {}", ended, ERROR_TYPE,
                        abandonAfter);
            }
        } catch (DataAccessException e) {
            log.warn("Reconciliation of unfinished invocation records failed, next round in {}: {}", interval,
                    e.getMessage());
        }
    }

    /** Ends every abandoned record; returns how many. */
    int endAbandoned() {
        Instant now = clock.instant();
        Timestamp cutoff = Timestamp.from(now.minus(abandonAfter));
        int total = 0;
        int ended;
        do {
            ended = transaction.execute(status -> {
                List<EndedCall> calls = jdbc.query(END_ABANDONED, (rs, row) -> new EndedCall(
                        rs.getString("function_name"), rs.getTimestamp("finished_at").toInstant(), "FAILED",
                        rs.getString("start_type"), null, ERROR_TYPE),
                        error, Timestamp.from(now), cutoff, cutoff, BATCH, cutoff);
                series.count(calls, List.of());
                return calls.size();
            });
            total += ended;
        } while (ended == BATCH);
        abandoned.increment(total);
        return total;
    }
}

package io.cloudfunc.registry.invocation;

import io.cloudfunc.registry.RegistryProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Deletes old invocation records in the background ({@code registry.invocations.retention}): every {@code interval}
 * (1 min), per function, the final records accepted more than {@code max-age} (7 d) ago, and those beyond the
 * function's newest {@code max-per-function} (100,000), in statements of at most {@code batch-size} (1,000) rows,
 * each its own short transaction.
 *
 * <p>Only final records go: a record is added to the series in the transaction that makes it final, so every
 * record deleted is counted there already, and the series outlive it. A QUEUED or RUNNING record is left alone
 * whatever its age: the reconciliation ({@link AbandonedInvocations}) ends it after {@code abandon-after}, and it is
 * deleted at a later round. Safe with several registries: the rows of a batch are locked with {@code SKIP LOCKED}.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class RecordRetention implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(RecordRetention.class);
    /** The function names that have records: one index probe per name (invocations_history_idx). */
    private static final String NAMES = """
            WITH RECURSIVE names AS (
                (SELECT function_name FROM invocations ORDER BY function_name LIMIT 1)
                UNION ALL
                SELECT (SELECT i.function_name FROM invocations i WHERE i.function_name > n.function_name
                        ORDER BY i.function_name LIMIT 1)
                FROM names n WHERE n.function_name IS NOT NULL)
            SELECT function_name FROM names WHERE function_name IS NOT NULL
            """;
    private static final String OLDER_THAN = """
            DELETE FROM invocations WHERE id IN (
                SELECT id FROM invocations
                WHERE function_name = ? AND accepted_at < ? AND status IN ('SUCCEEDED', 'FAILED', 'TIMED_OUT')
                ORDER BY accepted_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED)
            """;
    /** The newest record beyond the ones kept: it and the records older than it go. */
    private static final String FIRST_BEYOND = """
            SELECT accepted_at, id FROM invocations WHERE function_name = ?
            ORDER BY accepted_at DESC, id DESC
            OFFSET ? LIMIT 1
            """;
    private static final String BEYOND = """
            DELETE FROM invocations WHERE id IN (
                SELECT id FROM invocations
                WHERE function_name = ? AND (accepted_at, id) <= (?, ?)
                  AND status IN ('SUCCEEDED', 'FAILED', 'TIMED_OUT')
                ORDER BY accepted_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED)
            """;

    private final JdbcTemplate jdbc;
    private final RegistryProperties.Retention settings;
    private final Clock clock;
    private final Counter deleted;

    RecordRetention(JdbcTemplate jdbc, RegistryProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.settings = properties.invocations().retention();
        this.clock = Clock.systemUTC();
        this.deleted = Counter.builder("cloudfunc.invocations.deleted")
                .description("Invocation records deleted by the retention (their counts stay in the series)")
                .register(meters);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(new FixedDelayTask(this::run, settings.interval(), settings.interval()));
    }

    private void run() {
        try {
            int count = deleteOld(clock.instant());
            if (count > 0) {
                log.info("Deleted {} invocation records older than {} or beyond {} per function", count,
                        settings.maxAge(), settings.maxPerFunction());
            }
        } catch (DataAccessException e) {
            log.warn("Deleting old invocation records failed, next round in {}: {}", settings.interval(),
                    e.getMessage());
        }
    }

    /** One round as of {@code now}; returns how many records it deleted. */
    int deleteOld(Instant now) {
        Timestamp cutoff = Timestamp.from(now.minus(settings.maxAge()));
        int total = 0;
        for (String name : jdbc.queryForList(NAMES, String.class)) {
            total += inBatches(OLDER_THAN, name, cutoff);
            List<Object[]> beyond = jdbc.query(FIRST_BEYOND, (rs, row) -> new Object[] {rs.getTimestamp(1),
                    rs.getObject(2, UUID.class)}, name, settings.maxPerFunction());
            if (!beyond.isEmpty()) {
                total += inBatches(BEYOND, name, beyond.getFirst()[0], beyond.getFirst()[1]);
            }
        }
        deleted.increment(total);
        return total;
    }

    /** Runs a delete statement (its last parameter the batch size) until it deletes less than a batch. */
    private int inBatches(String sql, Object... args) {
        Object[] withLimit = Arrays.copyOf(args, args.length + 1);
        withLimit[args.length] = settings.batchSize();
        int total = 0;
        int rows;
        do {
            rows = jdbc.update(sql, withLimit);
            total += rows;
        } while (rows == settings.batchSize());
        return total;
    }
}

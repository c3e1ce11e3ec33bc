package io.cloudfunc.registry.series;

import io.cloudfunc.registry.RegistryProperties;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * Keeps the series small: every {@code registry.series.rollup-interval} (1 min) the minutes older than
 * {@code registry.series.minutes-kept} (48 h) are moved into their hour (counts and histograms added; for nodes, the
 * largest count of the hour), and hours older than {@code registry.series.keep} (400 d) are deleted. A minute that
 * arrives late (a record that ended long ago) is moved at the next round.
 *
 * <p>Each move is one statement that deletes the minutes and adds what it deleted to the hours, so the sums never
 * change and nothing is counted twice: with several registries, a second round waits for the first's row locks and
 * then finds those minutes gone.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SeriesRollup implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SeriesRollup.class);
    private static final String INVOCATIONS = """
            WITH moved AS (DELETE FROM invocation_minutes WHERE t < ? RETURNING *)
            INSERT INTO invocation_hours AS h (function_name, t, invocations, succeeded, errors, timeouts, oom, cold,
                                               prewarmed, warm, durations)
            SELECT function_name, date_bin('1 hour', t, TIMESTAMPTZ '1970-01-01Z') AS hour, sum(invocations),
                   sum(succeeded), sum(errors), sum(timeouts), sum(oom), sum(cold), sum(prewarmed), sum(warm),
                   durations_sum(durations)
            FROM moved
            GROUP BY function_name, hour
            ORDER BY function_name, hour
            ON CONFLICT (function_name, t) DO UPDATE SET
                invocations = h.invocations + EXCLUDED.invocations,
                succeeded = h.succeeded + EXCLUDED.succeeded,
                errors = h.errors + EXCLUDED.errors,
                timeouts = h.timeouts + EXCLUDED.timeouts,
                oom = h.oom + EXCLUDED.oom,
                cold = h.cold + EXCLUDED.cold,
                prewarmed = h.prewarmed + EXCLUDED.prewarmed,
                warm = h.warm + EXCLUDED.warm,
                durations = durations_add(h.durations, EXCLUDED.durations)
            """;
    private static final String NODES = """
            WITH moved AS (DELETE FROM node_sample_minutes WHERE t < ? RETURNING *)
            INSERT INTO node_sample_hours AS h (node_id, t, warm_containers)
            SELECT node_id, date_bin('1 hour', t, TIMESTAMPTZ '1970-01-01Z') AS hour, max(warm_containers)
            FROM moved
            GROUP BY node_id, hour
            ORDER BY node_id, hour
            ON CONFLICT (node_id, t) DO UPDATE SET warm_containers = GREATEST(h.warm_containers,
                                                                              EXCLUDED.warm_containers)
            """;

    private final JdbcTemplate jdbc;
    private final RegistryProperties.Series settings;
    private final Clock clock;

    SeriesRollup(JdbcTemplate jdbc, RegistryProperties properties) {
        this.jdbc = jdbc;
        this.settings = properties.series();
        this.clock = Clock.systemUTC();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        Duration interval = settings.rollupInterval();
        registrar.addFixedDelayTask(new FixedDelayTask(this::run, interval, interval));
    }

    private void run() {
        try {
            rollUp(clock.instant());
        } catch (DataAccessException e) {
            log.warn("Rolling up the statistics series failed, next round in {}: {}", settings.rollupInterval(),
                    e.getMessage());
        }
    }

    /** One round as of {@code now}: returns the hour rows the moved minutes were added to (invocations and nodes). */
    int rollUp(Instant now) {
        Timestamp minutesBefore = Timestamp.from(now.minus(settings.minutesKept()));
        Timestamp hoursBefore = Timestamp.from(now.minus(settings.keep()));
        int moved = jdbc.update(INVOCATIONS, minutesBefore) + jdbc.update(NODES, minutesBefore);
        jdbc.update("DELETE FROM invocation_hours WHERE t < ?", hoursBefore);
        jdbc.update("DELETE FROM node_sample_hours WHERE t < ?", hoursBefore);
        return moved;
    }
}

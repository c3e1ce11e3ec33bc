package io.cloudfunc.registry.series;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Adds records that became final to their function's minute ({@code invocation_minutes}), in the caller's
 * transaction: the one that made them final. A record counts when that transaction commits, and only once, since a
 * record that is final already is never made final again (its redelivery changes no row). The one final state a
 * later one replaces, {@code Abandoned}, is taken out again when replaced.
 *
 * <p>One upsert per minute touched, in (function, minute) order so that concurrent writers (several consumers,
 * several registries) lock the rows in the same order; the database adds the counts, so none is lost.
 */
@Repository
public class InvocationSeries {

    private static final String ADD = """
            INSERT INTO invocation_minutes AS m (function_name, t, invocations, succeeded, errors, timeouts, oom, cold,
                                                 prewarmed, warm, durations)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (function_name, t) DO UPDATE SET
                invocations = m.invocations + EXCLUDED.invocations,
                succeeded = m.succeeded + EXCLUDED.succeeded,
                errors = m.errors + EXCLUDED.errors,
                timeouts = m.timeouts + EXCLUDED.timeouts,
                oom = m.oom + EXCLUDED.oom,
                cold = m.cold + EXCLUDED.cold,
                prewarmed = m.prewarmed + EXCLUDED.prewarmed,
                warm = m.warm + EXCLUDED.warm,
                durations = durations_add(m.durations, EXCLUDED.durations)
            """;

    private final JdbcTemplate jdbc;

    InvocationSeries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Counts {@code ended} and takes {@code retracted} out (final states replaced in this transaction), in the
     * caller's transaction.
     */
    public void count(Collection<EndedCall> ended, Collection<EndedCall> retracted) {
        if (ended.isEmpty() && retracted.isEmpty()) {
            return;
        }
        Map<Key, Tally> minutes = new TreeMap<>(Comparator.comparing(Key::functionName).thenComparing(Key::minute));
        ended.forEach(call -> minutes.computeIfAbsent(Key.of(call), key -> new Tally()).add(call, 1));
        retracted.forEach(call -> minutes.computeIfAbsent(Key.of(call), key -> new Tally()).add(call, -1));
        List<Object[]> rows = new ArrayList<>(minutes.size());
        minutes.forEach((key, tally) -> rows.add(tally.row(key)));
        jdbc.batchUpdate(ADD, rows);
    }

    private record Key(String functionName, Instant minute) {

        static Key of(EndedCall call) {
            return new Key(call.functionName(), call.finishedAt().truncatedTo(ChronoUnit.MINUTES));
        }
    }

    /** The counts of one minute (a retracted call counts -1; its duration, if any, is taken out too). */
    private static final class Tally {

        long invocations;
        long succeeded;
        long errors;
        long timeouts;
        long oom;
        long cold;
        long prewarmed;
        long warm;
        int[] durations = new int[0];

        void add(EndedCall call, int sign) {
            invocations += sign;
            switch (call.status()) {
                case "SUCCEEDED" -> succeeded += sign;
                case "FAILED" -> errors += sign;
                case "TIMED_OUT" -> timeouts += sign;
                default -> throw new IllegalArgumentException("not a final state: " + call.status());
            }
            if ("OutOfMemoryError".equals(call.errorType())) {
                oom += sign;
            }
            if (call.startType() != null) {
                switch (call.startType()) {
                    case "COLD" -> cold += sign;
                    case "PREWARMED" -> prewarmed += sign;
                    case "WARM" -> warm += sign;
                    default -> { }
                }
            }
            if (call.durationMs() != null) {
                durations = DurationHistogram.add(durations, call.durationMs(), sign);
            }
        }

        Object[] row(Key key) {
            return new Object[] {key.functionName(), Timestamp.from(key.minute()), invocations, succeeded, errors,
                    timeouts, oom, cold, prewarmed, warm, durations};
        }
    }
}

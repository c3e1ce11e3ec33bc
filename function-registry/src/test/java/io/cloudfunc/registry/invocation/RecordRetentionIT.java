package io.cloudfunc.registry.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.registry.RegistryIntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The retention against PostgreSQL, called directly (its schedule is off in tests): final records older than
 * {@code max-age} or beyond {@code max-per-function} go, in batches of {@code batch-size}; unfinished ones stay; the
 * series keep every record's count.
 */
@TestPropertySource(properties = {"registry.invocations.retention.max-per-function=5",
        "registry.invocations.retention.batch-size=3"})
class RecordRetentionIT extends RegistryIntegrationTest {

    private static final Instant NOW = Instant.now();

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private RecordRetention retention;

    @BeforeEach
    void clean() {
        jdbc.update("DELETE FROM invocations");
        jdbc.update("DELETE FROM invocation_minutes");
    }

    @Test
    void deletesOldAndSurplusFinalRecordsInBatchesAndKeepsTheSeries() {
        List<InvocationCompleted> records = new ArrayList<>();
        List<UUID> recent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            InvocationCompleted call = completed("busy", NOW.minus(Duration.ofMinutes(30 - i)));
            records.add(call);
            recent.add(call.invocationId());
        }
        for (int i = 0; i < 7; i++) {
            records.add(completed("quiet", NOW.minus(Duration.ofDays(8)).plusSeconds(i)));
        }
        record(new InvocationRecords(null, null, null, records));
        UUID stillQueued = UUID.randomUUID();
        UUID running = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO invocations (id, function_name, version, status, accepted_at, started_at, mode)
                VALUES (?, 'quiet', 1, 'QUEUED', ?, NULL, 'ASYNC'), (?, 'busy', 1, 'RUNNING', ?, ?, 'SYNC')
                """, stillQueued, Timestamp.from(NOW.minus(Duration.ofDays(9))), running,
                Timestamp.from(NOW.minus(Duration.ofDays(1))), Timestamp.from(NOW.minus(Duration.ofDays(1))));
        Map<String, Object> seriesBefore = seriesTotals();

        int deleted = retention.deleteOld(NOW);

        assertThat(deleted).as("7 of quiet (older than 7 d), 7 of busy (beyond its newest 5)")
                .isEqualTo(14);
        assertThat(jdbc.queryForList("SELECT id FROM invocations WHERE function_name = 'quiet'", UUID.class))
                .as("an unfinished record stays, whatever its age").containsExactly(stillQueued);
        assertThat(jdbc.queryForList("SELECT id FROM invocations WHERE function_name = 'busy' AND status = "
                + "'SUCCEEDED'", UUID.class)).as("the newest").containsExactlyInAnyOrderElementsOf(
                        recent.subList(7, 12));
        assertThat(jdbc.queryForObject("SELECT status FROM invocations WHERE id = ?", String.class, running))
                .isEqualTo("RUNNING");
        assertThat(seriesTotals()).isEqualTo(seriesBefore)
                .containsEntry("invocations", 19L).containsEntry("warm", 19L);
        assertThat(retention.deleteOld(NOW)).as("nothing more to delete").isZero();
    }

    private Map<String, Object> seriesTotals() {
        return jdbc.queryForMap("SELECT sum(invocations)::bigint AS invocations, sum(warm)::bigint AS warm, "
                + "count(*) AS minutes FROM invocation_minutes");
    }

    private static InvocationCompleted completed(String function, Instant startedAt) {
        return new InvocationCompleted(UUID.randomUUID(), function, 1, InvocationStatus.SUCCEEDED, StartType.WARM,
                null, null, null, "", startedAt, startedAt.plusMillis(4), 4);
    }
}

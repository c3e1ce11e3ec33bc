package io.cloudfunc.registry.schedule;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code schedules} table (V17). Function names are joined in; the function's row is referenced by id. */
@Repository
class Schedules {

    private static final String ROW = """
            SELECT s.id, f.name AS function_name, s.name, s.cron, s.timezone, s.data::text AS data, s.paused,
                   s.next_tick, s.last_tick, s.last_invocation_id, s.created_at
            FROM schedules s JOIN functions f ON f.id = s.function_id
            """;

    /**
     * Due ticks, locked for the claim; rows another claimant holds are skipped (it is claiming them). The function's
     * latest version and code digest come along, for the invocation.
     */
    private static final String DUE = """
            SELECT s.id, f.name AS function_name, s.name, s.cron, s.timezone, s.data::text AS data, s.paused,
                   s.next_tick, s.last_tick, s.last_invocation_id, s.created_at,
                   f.latest_version, v.code_sha256
            FROM schedules s
            JOIN functions f ON f.id = s.function_id
            JOIN function_versions v ON v.function_id = f.id AND v.version = f.latest_version
            WHERE NOT s.paused AND s.next_tick <= :now
            ORDER BY s.next_tick
            LIMIT :limit
            FOR UPDATE OF s SKIP LOCKED""";

    private final JdbcClient jdbc;

    Schedules(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** The new row's id, or empty when the function already has a schedule of that name. */
    Optional<Long> insert(long functionId, String name, String cron, String timezone, String data, Instant nextTick,
            Instant now) {
        return jdbc.sql("""
                INSERT INTO schedules (function_id, name, cron, timezone, data, next_tick, created_at, updated_at)
                VALUES (:functionId, :name, :cron, :timezone, CAST(:data AS jsonb), :nextTick, :now, :now)
                ON CONFLICT (function_id, name) DO NOTHING
                RETURNING id""")
                .param("functionId", functionId).param("name", name).param("cron", cron)
                .param("timezone", timezone).param("data", data).param("nextTick", Timestamp.from(nextTick))
                .param("now", Timestamp.from(now))
                .query(Long.class).optional();
    }

    List<Row> list(String functionName) {
        return jdbc.sql(ROW + " WHERE f.name = :function ORDER BY s.name").param("function", functionName)
                .query(Schedules::row).list();
    }

    Optional<Row> find(String functionName, String name) {
        return jdbc.sql(ROW + " WHERE f.name = :function AND s.name = :name")
                .param("function", functionName).param("name", name).query(Schedules::row).optional();
    }

    Optional<Row> findForUpdate(String functionName, String name) {
        return jdbc.sql(ROW + " WHERE f.name = :function AND s.name = :name FOR UPDATE OF s")
                .param("function", functionName).param("name", name).query(Schedules::row).optional();
    }

    void pause(long id, Instant now) {
        jdbc.sql("UPDATE schedules SET paused = TRUE, updated_at = :now WHERE id = :id")
                .param("id", id).param("now", Timestamp.from(now)).update();
    }

    /** Runs again from {@code nextTick}: ticks that fell while it was paused are not run. */
    void resume(long id, Instant nextTick, Instant now) {
        jdbc.sql("UPDATE schedules SET paused = FALSE, next_tick = :nextTick, updated_at = :now WHERE id = :id")
                .param("id", id).param("nextTick", Timestamp.from(nextTick)).param("now", Timestamp.from(now))
                .update();
    }

    int delete(long functionId, String name) {
        return jdbc.sql("DELETE FROM schedules WHERE function_id = :functionId AND name = :name")
                .param("functionId", functionId).param("name", name).update();
    }

    List<DueRow> due(Instant now, int limit) {
        return jdbc.sql(DUE).param("now", Timestamp.from(now)).param("limit", limit)
                .query((rs, n) -> new DueRow(row(rs, n), rs.getInt("latest_version"), rs.getString("code_sha256")))
                .list();
    }

    /** Marks {@code tick} claimed and moves the schedule on to {@code nextTick}. */
    void claimed(long id, Instant tick, UUID invocationId, Instant nextTick) {
        jdbc.sql("""
                UPDATE schedules SET last_tick = :tick, last_invocation_id = :invocationId, next_tick = :nextTick
                WHERE id = :id""")
                .param("id", id).param("tick", Timestamp.from(tick)).param("invocationId", invocationId)
                .param("nextTick", Timestamp.from(nextTick)).update();
    }

    Optional<Instant> earliestNextTick() {
        return jdbc.sql("SELECT min(next_tick) FROM schedules WHERE NOT paused").query(Timestamp.class)
                .optional().map(Timestamp::toInstant);
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        Timestamp last = rs.getTimestamp("last_tick");
        return new Row(rs.getLong("id"), rs.getString("function_name"), rs.getString("name"), rs.getString("cron"),
                rs.getString("timezone"), rs.getString("data"), rs.getBoolean("paused"),
                rs.getTimestamp("next_tick").toInstant(), last == null ? null : last.toInstant(),
                rs.getObject("last_invocation_id", UUID.class), rs.getTimestamp("created_at").toInstant());
    }

    record Row(long id, String functionName, String name, String cron, String timezone, String data, boolean paused,
               Instant nextTick, Instant lastTick, UUID lastInvocationId, Instant createdAt) {
    }

    record DueRow(Row schedule, int version, String codeSha256) {
    }
}

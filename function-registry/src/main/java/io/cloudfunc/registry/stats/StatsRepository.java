package io.cloudfunc.registry.stats;

import io.cloudfunc.contracts.stats.FunctionStats;
import io.cloudfunc.contracts.stats.VersionStats;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * One aggregate query over the window's invocation records of the functions that exist: calls to a deleted function
 * or to a name that never was one (an AMQP producer may send any name) are history, not statistics. {@code GROUP BY
 * ROLLUP} adds the totals row (function name NULL), whose percentiles are over all those calls rather than an average
 * of per-function ones, so that the totals are the sum of the functions listed.
 */
@Repository
class StatsRepository {

    private static final String QUERY = """
            select i.function_name, %s
                   count(*) as invocations,
                   count(*) filter (where i.status = 'SUCCEEDED') as succeeded,
                   count(*) filter (where i.status = 'FAILED') as errors,
                   count(*) filter (where i.status = 'TIMED_OUT') as timeouts,
                   count(*) filter (where i.status in ('QUEUED', 'RUNNING')) as pending,
                   percentile_cont(0.50) within group (order by i.duration_ms) as p50,
                   percentile_cont(0.95) within group (order by i.duration_ms) as p95,
                   percentile_cont(0.99) within group (order by i.duration_ms) as p99,
                   max(i.duration_ms) as max_ms,
                   coalesce(sum(i.duration_ms), 0) as total_ms,
                   count(*) filter (where i.start_type in ('COLD', 'PREWARMED')) as not_warm,
                   count(i.start_type) as started
            from invocations i
            join functions f on f.name = i.function_name
            where i.accepted_at >= :from and i.accepted_at < :to %s
            group by %s
            order by %s
            """;

    private final JdbcClient jdbc;

    StatsRepository(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** The totals first (named null), then one row per existing function called in the window, by name. */
    List<FunctionStats> stats(Instant from, Instant to, String functionName) {
        var statement = jdbc.sql(QUERY.formatted("", functionName == null ? "" : "and i.function_name = :name",
                        "rollup (i.function_name)", "i.function_name nulls first"))
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to));
        if (functionName != null) {
            statement = statement.param("name", functionName);
        }
        return statement.query(StatsRepository::row).list();
    }

    /** One function's figures per version that ran in the window, oldest version first. */
    List<VersionStats> byVersion(Instant from, Instant to, String functionName) {
        return jdbc.sql(QUERY.formatted("i.version,", "and i.function_name = :name", "i.function_name, i.version",
                        "i.version"))
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .param("name", functionName)
                .query((rs, rowNum) -> new VersionStats(rs.getInt("version"), row(rs, rowNum)))
                .list();
    }

    boolean functionExists(String name) {
        return jdbc.sql("select exists (select 1 from functions where name = :name)").param("name", name)
                .query(Boolean.class).single();
    }

    private static FunctionStats row(ResultSet rs, int rowNum) throws SQLException {
        long started = rs.getLong("started");
        return new FunctionStats(rs.getString("function_name"), rs.getLong("invocations"), rs.getLong("succeeded"),
                rs.getLong("errors"), rs.getLong("timeouts"), rs.getLong("pending"),
                new FunctionStats.Durations(number(rs, "p50"), number(rs, "p95"), number(rs, "p99"),
                        number(rs, "max_ms"), rs.getLong("total_ms")),
                started == 0 ? null : (double) rs.getLong("not_warm") / started);
    }

    private static Double number(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : Math.round(value * 100) / 100.0;
    }
}

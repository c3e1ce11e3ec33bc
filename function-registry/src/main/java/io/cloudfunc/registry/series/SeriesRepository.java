package io.cloudfunc.registry.series;

import io.cloudfunc.contracts.node.SeenNode;
import io.cloudfunc.contracts.stats.NodeSeriesView;
import io.cloudfunc.contracts.stats.SeriesPoint;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;

/**
 * Reads the series: the minutes and hours of the window summed per step by PostgreSQL ({@code date_bin} from the
 * epoch, {@code durations_sum} adding the histograms), every step of the window then filled in here, empty ones
 * with zeros. Like {@code GET /stats}, only functions that exist are counted.
 */
@Repository
class SeriesRepository {

    private static final String INVOCATIONS = """
            SELECT date_bin(CAST(? AS interval), t, TIMESTAMPTZ '1970-01-01Z') AS step_t,
                   sum(invocations) AS invocations, sum(succeeded) AS succeeded, sum(errors) AS errors,
                   sum(timeouts) AS timeouts, sum(oom) AS oom, sum(cold) AS cold, sum(prewarmed) AS prewarmed,
                   sum(warm) AS warm, durations_sum(durations) AS durations
            FROM (SELECT * FROM invocation_minutes WHERE t >= ? AND t < ?
                  UNION ALL
                  SELECT * FROM invocation_hours WHERE t >= ? AND t < ?) s
            WHERE %s
            GROUP BY step_t
            """;
    private static final String NODES = """
            SELECT date_bin(CAST(? AS interval), t, TIMESTAMPTZ '1970-01-01Z') AS step_t, node_id,
                   max(warm_containers) AS warm_containers
            FROM (SELECT * FROM node_sample_minutes WHERE t >= ? AND t < ?
                  UNION ALL
                  SELECT * FROM node_sample_hours WHERE t >= ? AND t < ?) s
            GROUP BY step_t, node_id
            ORDER BY node_id
            """;

    private static final String SEEN = """
            SELECT node_id, max(t) AS last_seen
            FROM (SELECT node_id, t FROM node_sample_minutes WHERE t >= ?
                  UNION ALL
                  SELECT node_id, t FROM node_sample_hours WHERE t >= ?) s
            GROUP BY node_id
            ORDER BY node_id
            """;

    private final JdbcTemplate jdbc;

    SeriesRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    boolean functionExists(String name) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT exists (SELECT 1 FROM functions WHERE name = ?)",
                Boolean.class, name));
    }

    /** One point per step of the request, of {@code functionName} or (null) of all existing functions. */
    List<SeriesPoint> invocations(SeriesRequest request, String functionName) {
        String which = functionName == null ? "function_name IN (SELECT name FROM functions)" : "function_name = ?";
        List<Object> args = new ArrayList<>(List.of(interval(request), from(request), to(request), from(request),
                to(request)));
        if (functionName != null) {
            args.add(functionName);
        }
        Map<Instant, SeriesPoint> found = new HashMap<>();
        jdbc.query(INVOCATIONS.formatted(which), (RowCallbackHandler) rs -> {
            SeriesPoint point = point(rs);
            found.put(point.t(), point);
        }, args.toArray());
        List<SeriesPoint> points = new ArrayList<>(request.points());
        for (Instant t = request.from(); t.isBefore(request.to()); t = t.plus(request.step().duration())) {
            points.add(found.getOrDefault(t, empty(t)));
        }
        return points;
    }

    /** One point per step of the request, each naming the nodes that sent a sample in it. */
    List<NodeSeriesView.Point> nodes(SeriesRequest request) {
        Map<Instant, Map<String, Integer>> found = new HashMap<>();
        jdbc.query(NODES, (RowCallbackHandler) rs -> found
                .computeIfAbsent(rs.getTimestamp("step_t").toInstant(), t -> new LinkedHashMap<>())
                .put(rs.getString("node_id"), rs.getInt("warm_containers")),
                interval(request), from(request), to(request), from(request), to(request));
        List<NodeSeriesView.Point> points = new ArrayList<>(request.points());
        for (Instant t = request.from(); t.isBefore(request.to()); t = t.plus(request.step().duration())) {
            points.add(new NodeSeriesView.Point(t, found.getOrDefault(t, Map.of())));
        }
        return points;
    }

    /** The nodes with a sample since {@code since}, each with the minute (or hour) of its latest one. */
    List<SeenNode> seenNodes(Instant since) {
        Timestamp from = Timestamp.from(since);
        return jdbc.query(SEEN, (rs, row) -> new SeenNode(rs.getString("node_id"),
                rs.getTimestamp("last_seen").toInstant()), from, from);
    }

    private static SeriesPoint point(ResultSet rs) throws SQLException {
        long[] durations = counts(rs.getArray("durations"));
        return new SeriesPoint(rs.getTimestamp("step_t").toInstant(), rs.getLong("invocations"),
                rs.getLong("succeeded"), rs.getLong("errors"), rs.getLong("timeouts"), rs.getLong("oom"),
                rs.getLong("cold"), rs.getLong("prewarmed"), rs.getLong("warm"), new SeriesPoint.Percentiles(
                        DurationHistogram.percentile(durations, 0.50), DurationHistogram.percentile(durations, 0.95),
                        DurationHistogram.percentile(durations, 0.99)));
    }

    private static SeriesPoint empty(Instant t) {
        return new SeriesPoint(t, 0, 0, 0, 0, 0, 0, 0, 0, new SeriesPoint.Percentiles(null, null, null));
    }

    private static long[] counts(Array array) throws SQLException {
        if (array == null) {
            return new long[0];
        }
        Integer[] values = (Integer[]) array.getArray();
        long[] counts = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            counts[i] = values[i] == null ? 0 : values[i];
        }
        return counts;
    }

    private static String interval(SeriesRequest request) {
        return request.step().seconds() + " seconds";
    }

    private static Timestamp from(SeriesRequest request) {
        return Timestamp.from(request.from());
    }

    private static Timestamp to(SeriesRequest request) {
        return Timestamp.from(request.to());
    }
}

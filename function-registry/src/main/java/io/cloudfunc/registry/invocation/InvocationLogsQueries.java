package io.cloudfunc.registry.invocation;

import io.cloudfunc.contracts.invocation.InvocationLogs;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads invocation logs without loading the rest of the records (requests and results may be megabytes). A
 * function's logs come in the order its invocations finished, ties broken by id, which is also the cursor a
 * follower passes back ({@code after}, {@code afterId}) so that none is skipped or shown twice.
 */
@Repository
class InvocationLogsQueries {

    private static final String COLUMNS = "select id, function_name, version, status, finished_at, logs from invocations";

    private final JdbcClient jdbc;

    InvocationLogsQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<InvocationLogs> ofInvocation(UUID id) {
        return jdbc.sql(COLUMNS + " where id = :id").param("id", id).query(InvocationLogsQueries::row).optional();
    }

    /** The {@code limit} invocations of the function that finished last, oldest first. */
    List<InvocationLogs> latest(String functionName, int limit) {
        List<InvocationLogs> newestFirst = jdbc.sql(COLUMNS + " where function_name = :name and finished_at is not null"
                        + " order by finished_at desc, id desc limit :limit")
                .param("name", functionName).param("limit", limit)
                .query(InvocationLogsQueries::row).list();
        List<InvocationLogs> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    /** Up to {@code limit} invocations of the function that finished after the cursor, oldest first. */
    List<InvocationLogs> after(String functionName, Instant after, UUID afterId, int limit) {
        String cursor = afterId == null ? "finished_at > :after" : "(finished_at, id) > (:after, :afterId)";
        JdbcClient.StatementSpec sql = jdbc.sql(COLUMNS + " where function_name = :name and finished_at is not null"
                        + " and " + cursor + " order by finished_at, id limit :limit")
                .param("name", functionName)
                .param("after", OffsetDateTime.ofInstant(after, java.time.ZoneOffset.UTC))
                .param("limit", limit);
        if (afterId != null) {
            sql = sql.param("afterId", afterId);
        }
        return sql.query(InvocationLogsQueries::row).list();
    }

    boolean functionExists(String functionName) {
        return jdbc.sql("select exists (select 1 from functions where name = :name)")
                .param("name", functionName).query(Boolean.class).single();
    }

    private static InvocationLogs row(ResultSet rs, int rowNum) throws SQLException {
        OffsetDateTime finished = rs.getObject("finished_at", OffsetDateTime.class);
        String logs = rs.getString("logs");
        return new InvocationLogs(rs.getObject("id", UUID.class), rs.getString("function_name"), rs.getInt("version"),
                InvocationStatus.valueOf(rs.getString("status")), finished == null ? null : finished.toInstant(),
                logs == null ? "" : logs, InvocationLogs.isTruncated(logs));
    }
}

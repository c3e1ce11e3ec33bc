package io.cloudfunc.registry.invocation;

import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.support.problem.Problems;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Filters and page of a history or dead-letter listing, parsed from query parameters: every malformed value is a
 * 400 naming it, never a 500.
 *
 * @param functionName only this function's records (null: all; dead letters only)
 * @param status       only this status, or null
 * @param from         only records accepted at or after, or null
 * @param to           only records accepted before, or null
 * @param limit        page size, 1 to {@value #MAX_LIMIT}
 * @param cursor       where the previous page ended, or null for the first page
 */
record HistoryQuery(String functionName, InvocationStatus status, Instant from, Instant to, int limit,
                    HistoryCursor cursor) {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    static HistoryQuery parse(String functionName, String status, String from, String to, String limit,
                              String cursor) {
        Instant fromInstant = instant("from", from);
        Instant toInstant = instant("to", to);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            throw Problems.invalidRequest("from (" + from + ") must be before to (" + to + ")");
        }
        return new HistoryQuery(functionName, status(status), fromInstant, toInstant, limit(limit),
                blank(cursor) ? null : HistoryCursor.decode(cursor.strip()));
    }

    private static InvocationStatus status(String value) {
        if (blank(value)) {
            return null;
        }
        try {
            return InvocationStatus.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Problems.invalidRequest("status '" + value + "' is not one of QUEUED, RUNNING, SUCCEEDED, FAILED,"
                    + " TIMED_OUT");
        }
    }

    private static Instant instant(String name, String value) {
        if (blank(value)) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw Problems.invalidRequest(name + " '" + value + "' is not an ISO-8601 instant such as"
                    + " 2026-05-01T10:00:00Z");
        }
    }

    private static int limit(String value) {
        if (blank(value)) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw Problems.invalidRequest("limit '" + value + "' must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}

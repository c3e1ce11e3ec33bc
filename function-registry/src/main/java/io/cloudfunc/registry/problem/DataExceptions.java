package io.cloudfunc.registry.problem;

import java.sql.SQLException;

/**
 * Tells a value PostgreSQL refuses to store (SQLState class 22, "data exception") and a connection the database took
 * away or refused from other database failures.
 */
public final class DataExceptions {

    private DataExceptions() {
    }

    /**
     * Whether {@code failure} or one of its causes is a data exception: a value out of range, an invalid character
     * or escape, text that is not valid in the database's encoding. The request carried it; retrying cannot help.
     */
    public static boolean isDataException(Throwable failure) {
        return hasState(failure, "22");
    }

    /**
     * Whether {@code failure} or one of its causes says the database connection is gone or refused: SQLState class 08
     * (connection exception: closed, broken, refused) or 57P01 to 57P03 (the server shuts down, was shut down, cannot
     * take connections now). The database went away while the request used it; a retry later may succeed.
     */
    public static boolean isConnectionFailure(Throwable failure) {
        return hasState(failure, "08") || hasState(failure, "57P0");
    }

    private static boolean hasState(Throwable failure, String prefix) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < 32; cause = cause.getCause(), depth++) {
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    String state = next.getSQLState();
                    if (state != null && state.startsWith(prefix)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}

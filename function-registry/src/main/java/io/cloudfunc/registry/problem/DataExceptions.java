package io.cloudfunc.registry.problem;

import java.sql.SQLException;

/** Tells a value PostgreSQL refuses to store (SQLState class 22, "data exception") from other database failures. */
public final class DataExceptions {

    private DataExceptions() {
    }

    /**
     * Whether {@code failure} or one of its causes is a data exception: a value out of range, an invalid character
     * or escape, text that is not valid in the database's encoding. The request carried it; retrying cannot help.
     */
    public static boolean isDataException(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < 32; cause = cause.getCause(), depth++) {
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    String state = next.getSQLState();
                    if (state != null && state.startsWith("22")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}

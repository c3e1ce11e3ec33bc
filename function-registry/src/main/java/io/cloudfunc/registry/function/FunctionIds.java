package io.cloudfunc.registry.function;

import io.cloudfunc.registry.problem.RegistryProblems;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A function's row id by its name, for the features whose rows hang on a function (schedules, triggers): a 404
 * problem ({@link RegistryProblems#functionNotFound}) when there is no such function.
 */
@Component
public class FunctionIds {

    private final JdbcClient jdbc;

    FunctionIds(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long of(String functionName) {
        return jdbc.sql("select id from functions where name = ?").param(functionName).query(Long.class)
                .optional().orElseThrow(() -> RegistryProblems.functionNotFound(functionName));
    }

    /** {@link #of}, with the function's row locked until the transaction ends (a delete of it waits). */
    public long locked(String functionName) {
        return jdbc.sql("select id from functions where name = ? for update").param(functionName).query(Long.class)
                .optional().orElseThrow(() -> RegistryProblems.functionNotFound(functionName));
    }
}

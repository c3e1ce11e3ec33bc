package io.cloudfunc.registry;

import io.cloudfunc.support.testing.RabbitVhost;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each integration test class its own PostgreSQL database and RabbitMQ vhost on the machine's local services,
 * so that classes (and other modules' tests running at the same time) never see each other's data or queues.
 * Registered before the Spring extension, so it removes both only after the class's context has been closed.
 * When a service cannot be reached the class fails: these tests are never skipped.
 */
public final class LocalServices implements BeforeAllCallback, AfterAllCallback {

    static final String POSTGRES_HOST = System.getProperty("it.postgres.host", "127.0.0.1:5432");
    static final String POSTGRES_USER = System.getProperty("it.postgres.user", "postgres");

    private static String database;
    private static RabbitVhost vhost;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        database = "registry_it_" + suffix;
        execute("CREATE DATABASE " + database);
        vhost = RabbitVhost.create("cf_it_registry");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            vhost.close();
        } finally {
            execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    public static String jdbcUrl() {
        return "jdbc:postgresql://" + POSTGRES_HOST + "/" + database;
    }

    public static String vhost() {
        return vhost.name();
    }

    /**
     * Lets the registry's database take connections again or not; refusing also closes those it holds (a database
     * that went down, for the tests of what the registry does then).
     */
    public static void allowConnections(boolean allow) throws SQLException {
        execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS " + allow);
        if (!allow) {
            execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://" + POSTGRES_HOST + "/postgres", POSTGRES_USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}

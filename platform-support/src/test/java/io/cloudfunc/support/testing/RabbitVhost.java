package io.cloudfunc.support.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away vhost on the local RabbitMQ, so that concurrently running test suites that declare the same queue
 * names never see each other's messages. Made and removed with {@code rabbitmqctl} (system property
 * {@code it.rabbitmqctl} to use another one); fails, never skips, when that cannot be done.
 */
public final class RabbitVhost implements AutoCloseable {

    private static final String RABBITMQCTL = System.getProperty("it.rabbitmqctl", "rabbitmqctl");

    private final String name;

    private RabbitVhost(String name) {
        this.name = name;
    }

    /** A new vhost {@code <prefix>_<12 hex digits>} on which guest may do everything. */
    public static RabbitVhost create(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        rabbitmqctl("add_vhost", name);
        rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
        return new RabbitVhost(name);
    }

    public String name() {
        return name;
    }

    /** Deletes the vhost with all its exchanges and queues. */
    @Override
    public void close() {
        rabbitmqctl("delete_vhost", name);
    }

    private static void rabbitmqctl(String... args) {
        List<String> command = new ArrayList<>(List.of(RABBITMQCTL));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue()
                        + "): " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + RABBITMQCTL + " (is RabbitMQ installed and running?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

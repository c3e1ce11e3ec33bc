package io.cloudfunc.scheduler.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away vhost on the local RabbitMQ, so that concurrently running test suites that declare the same queue
 * names never see each other's messages. Fails (never skips) when rabbitmqctl cannot do it.
 */
public final class RabbitVhost implements AutoCloseable {

    private final String name;

    private RabbitVhost(String name) {
        this.name = name;
    }

    public static RabbitVhost create(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        rabbitmqctl("add_vhost", name);
        rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
        return new RabbitVhost(name);
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        rabbitmqctl("delete_vhost", name);
    }

    private static void rabbitmqctl(String... args) {
        var command = new java.util.ArrayList<>(List.of("rabbitmqctl"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " timed out");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run rabbitmqctl (is RabbitMQ installed and running?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

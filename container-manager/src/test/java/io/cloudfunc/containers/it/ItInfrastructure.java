package io.cloudfunc.containers.it;

import io.cloudfunc.support.testing.RabbitVhost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What the integration tests need around the manager, all real and local: a RabbitMQ vhost of their own, the
 * runtime image (built from runtimes/python), a stub registry on loopback, and private directories.
 */
final class ItInfrastructure {

    static final String RUNTIME_IMAGE = "cloudfunc/runtime-python:latest";
    static final String BASE_IMAGE = "python:3.13-slim";

    final String suffix = UUID.randomUUID().toString().substring(0, 8);
    final String node = "it-" + suffix;
    final RabbitVhost rabbit;
    final String vhost;
    final Path workDir;
    final StubRegistry registry;

    private ItInfrastructure() throws Exception {
        ensureRuntimeImage();
        rabbit = RabbitVhost.create("cf_it_cm");
        vhost = rabbit.name();
        workDir = Files.createTempDirectory(Path.of("/tmp"), "cf-it-");
        registry = new StubRegistry();
    }

    static ItInfrastructure start() {
        try {
            return new ItInfrastructure();
        } catch (Exception e) {
            throw new IllegalStateException("integration test infrastructure unavailable: " + e.getMessage(), e);
        }
    }

    Path socketRoot() {
        return workDir.resolve("containers");
    }

    Path codeCache() {
        return workDir.resolve("code-cache");
    }

    void stop() throws Exception {
        registry.close();
        rabbit.close();
        run(Duration.ofSeconds(30), "rm", "-rf", workDir.toString());
    }

    /** Builds the runtime image from runtimes/python (cached layers make a rebuild take about a second). */
    static void ensureRuntimeImage() throws Exception {
        if (run(Duration.ofSeconds(30), false, "docker", "image", "inspect", BASE_IMAGE).exitCode != 0) {
            throw new IllegalStateException("base image " + BASE_IMAGE + " is missing: no registry is reachable here,"
                    + " build it with runtimes/base-images/build-local-base-images.sh " + BASE_IMAGE);
        }
        Path context = Path.of("..", "runtimes", "python").toAbsolutePath().normalize();
        if (!Files.isRegularFile(context.resolve("Dockerfile"))) {
            throw new IllegalStateException("runtimes/python/Dockerfile not found at " + context);
        }
        run(Duration.ofMinutes(3), "docker", "build", "-q", "-t", RUNTIME_IMAGE, context.toString());
    }

    static Path exampleFunction() {
        return Path.of("..", "runtimes", "python", "example", "hello_fn", "function.py").toAbsolutePath().normalize();
    }

    static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        return run(timeout, true, command);
    }

    static Result run(Duration timeout, boolean check, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DOCKER_BUILDKIT", "0");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeout);
        }
        Result result = new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        if (check && result.exitCode != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + result.exitCode + "): "
                    + result.output);
        }
        return result;
    }

    /** Ids of the containers carrying all the labels, running or not ({@code docker ps -a --filter label=...}). */
    static List<String> containers(Map<String, String> labels) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker", "ps", "-aq", "--no-trunc"));
        labels.forEach((k, v) -> {
            command.add("--filter");
            command.add("label=" + k + "=" + v);
        });
        String output = run(Duration.ofSeconds(30), command.toArray(String[]::new)).output.trim();
        return output.isEmpty() ? List.of() : List.of(output.split("\\s+"));
    }

    record Result(int exitCode, String output) {
    }
}

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
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What the integration tests need around the manager, all real and local: a RabbitMQ vhost of their own, the
 * runtime image (built from runtimes/python), a stub registry on loopback, the scheduler's routing and the registry's
 * records consumer on the broker ({@link SchedulerStandIn}), and private directories.
 */
final class ItInfrastructure {

    static final String RUNTIME_IMAGE = "cloudfunc/runtime-python:latest";
    static final String NODE_IMAGE = "cloudfunc/runtime-node:latest";
    static final String JAVA_IMAGE = "cloudfunc/runtime-java:latest";
    /** Built by Maven before this module's tests (a test-scoped dependency of the container-manager). */
    static final Path JAVA_RUNTIME_JAR = repository("runtimes", "java", "runtime", "target",
            "cloudfunc-java-runtime.jar");

    final String suffix = UUID.randomUUID().toString().substring(0, 8);
    final String node = "it-" + suffix;
    final RabbitVhost rabbit;
    final String vhost;
    final Path workDir;
    final StubRegistry registry;
    final SchedulerStandIn scheduler;

    private ItInfrastructure() throws Exception {
        ensureRuntimeImage();
        rabbit = RabbitVhost.create("cf_it_cm");
        vhost = rabbit.name();
        workDir = Files.createTempDirectory(Path.of("/tmp"), "cf-it-");
        registry = new StubRegistry();
        scheduler = new SchedulerStandIn(vhost, node, registry);
    }

    static ItInfrastructure start() {
        try {
            return new ItInfrastructure();
        } catch (Exception e) {
            throw new IllegalStateException("integration test infrastructure unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * Points a manager's context at this infrastructure: its vhost, stub registry, directories and node name; and
     * turns prewarming off, so that every container carries its function's labels (PoolIT covers prewarming).
     */
    void register(DynamicPropertyRegistry properties) {
        properties.add("containers.runtimes.python.image", () -> RUNTIME_IMAGE);
        for (String runtime : List.of("python", "node", "java")) {
            properties.add("containers.runtimes." + runtime + ".prewarm-min", () -> "0");
            properties.add("containers.runtimes." + runtime + ".prewarm-max", () -> "0");
        }
        properties.add("spring.rabbitmq.virtual-host", () -> vhost);
        properties.add("containers.registry-url", () -> registry.url().toString());
        properties.add("containers.socket-root", () -> socketRoot().toString());
        properties.add("containers.code-cache", () -> codeCache().toString());
        properties.add("containers.node", () -> node);
        properties.add("containers.consumer.shutdown-grace", () -> "5s");
    }

    Path socketRoot() {
        return workDir.resolve("containers");
    }

    Path codeCache() {
        return workDir.resolve("code-cache");
    }

    /** What a test leaves behind besides the infrastructure (foreign containers, networks). */
    interface CleanUp {
        void run() throws Exception;
    }

    /**
     * Once the manager has stopped: it must have removed every container of its node; then the test's own leftovers
     * and the infrastructure go, whatever the check found.
     */
    void checkNoContainersLeftThenStop(CleanUp leftovers) throws Exception {
        try {
            org.assertj.core.api.Assertions.assertThat(containers(Map.of(
                    io.cloudfunc.containers.pool.Labels.MANAGER, node)))
                    .as("containers left after the manager stopped").isEmpty();
        } finally {
            try {
                leftovers.run();
            } finally {
                stop();
            }
        }
    }

    void stop() throws Exception {
        scheduler.close();
        registry.close();
        rabbit.close();
        run(Duration.ofSeconds(30), "rm", "-rf", workDir.toString());
    }

    /** Builds the runtime image from runtimes/python (cached layers make a rebuild take about a second). */
    static void ensureRuntimeImage() throws Exception {
        buildImage("python", "python:3.13-slim", RUNTIME_IMAGE);
    }

    /** Builds the Node.js runtime image from runtimes/node. */
    static void ensureNodeImage() throws Exception {
        buildImage("node", "node:22-slim", NODE_IMAGE);
    }

    /** Builds the Java runtime image from runtimes/java, around the runtime jar Maven built. */
    static void ensureJavaImage() throws Exception {
        if (!Files.isRegularFile(JAVA_RUNTIME_JAR)) {
            throw new IllegalStateException(JAVA_RUNTIME_JAR + " is missing: build it with"
                    + " ./mvnw -pl runtimes/java/runtime -am package -DskipTests");
        }
        buildImage("java", "eclipse-temurin:25-jre", JAVA_IMAGE);
    }

    private static void buildImage(String runtime, String publicBase, String image) throws Exception {
        Path context = repository("runtimes", runtime);
        if (!Files.isRegularFile(context.resolve("Dockerfile"))) {
            throw new IllegalStateException("runtimes/" + runtime + "/Dockerfile not found at " + context);
        }
        run(Duration.ofMinutes(5), "docker", "build", "-q", "-t", image, "--build-arg",
                "BASE_IMAGE=" + baseImage(publicBase), context.toString());
    }

    /**
     * The image to build on instead of a public base image, as bin/lib.sh's cf_ensure_base_images chooses it: the
     * variable it exported (bin/run-tests), else the public image when it is here and was pulled (not a local build
     * of an older CloudFunc carrying its name), else the local build standing in for it, named for what it contains
     * (runtimes/base-images/images).
     */
    static String baseImage(String publicImage) throws Exception {
        for (String line : Files.readAllLines(repository("runtimes", "base-images", "images"))) {
            String[] fields = line.split("\\|", 5);
            if (line.startsWith("#") || fields.length < 5 || !fields[0].equals(publicImage)) {
                continue;
            }
            String chosen = System.getenv(fields[1]);
            if (chosen != null && !chosen.isBlank()) {
                return chosen;
            }
            Result recipe = run(Duration.ofSeconds(30), false, "docker", "image", "inspect", "-f",
                    "{{index .Config.Labels \"io.cloudfunc.recipe\"}}", publicImage);
            if (recipe.exitCode == 0 && recipe.output.isBlank()) {
                return publicImage;
            }
            if (run(Duration.ofSeconds(30), false, "docker", "image", "inspect", fields[2]).exitCode == 0) {
                return fields[2];
            }
            throw new IllegalStateException("neither " + publicImage + " nor the local build standing in for it ("
                    + fields[2] + ") is here: run bin/run-tests, which pulls or builds it, or"
                    + " runtimes/base-images/build-local-base-images.sh " + publicImage);
        }
        throw new IllegalArgumentException(publicImage + " is not in runtimes/base-images/images");
    }

    /** A path in the repository (the tests run in container-manager/). */
    static Path repository(String first, String... more) {
        return Path.of("..").resolve(Path.of(first, more)).toAbsolutePath().normalize();
    }

    /**
     * A Java function's archive, compiled here from one source file (with the JDK's compiler) and zipped as its
     * classes, as a function's own {@code .class} files sit at the top of its code directory.
     */
    static byte[] compiledJavaFunction(String className, String source) throws Exception {
        javax.tools.JavaCompiler compiler = javax.tools.ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no Java compiler: run the tests on a JDK");
        }
        Path dir = Files.createTempDirectory("cf-it-java-");
        try {
            Path file = dir.resolve("src").resolve(className.replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source);
            Path classes = Files.createDirectories(dir.resolve("classes"));
            java.io.StringWriter diagnostics = new java.io.StringWriter();
            boolean compiled = compiler.getTask(diagnostics, null, null, List.of("-d", classes.toString(),
                    "--release", "25"), null, compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                    .getJavaFileObjects(file)).call();
            if (!compiled) {
                throw new IllegalStateException("the test function does not compile: " + diagnostics);
            }
            Map<String, byte[]> files = new java.util.TreeMap<>();
            try (var paths = Files.walk(classes)) {
                for (Path path : paths.filter(Files::isRegularFile).toList()) {
                    files.put(classes.relativize(path).toString(), Files.readAllBytes(path));
                }
            }
            return StubRegistry.zipBytes(files);
        } finally {
            run(Duration.ofSeconds(30), "rm", "-rf", dir.toString());
        }
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

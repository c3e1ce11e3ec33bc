package io.cloudfunc.containers.build;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.DirectoryTrees;
import io.cloudfunc.containers.docker.ContainerEngine;
import io.cloudfunc.containers.docker.ContainerEngine.AttachedRun;
import io.cloudfunc.containers.docker.ContainerEngine.ImageSummary;
import io.cloudfunc.containers.docker.ContainerEngineException;
import io.cloudfunc.containers.docker.ContainerSpec;
import io.cloudfunc.containers.pool.Labels;
import io.cloudfunc.containers.registry.RegistryRejectedException;
import io.cloudfunc.containers.registry.RegistryUnavailableException;
import io.cloudfunc.contracts.function.DependencyBuildRequest;
import io.cloudfunc.contracts.function.DependencyBuildResult;
import io.cloudfunc.contracts.function.DependencyBuildView;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import io.cloudfunc.containers.registry.RegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Builds a deploy's dependencies: reads what to install ({@link BuildManifest}), keys it by its digest, reuses the
 * registry's build of that digest when there is one, else runs the tool in a throwaway container of the runtime's
 * image and stores what it installed in the registry. The container runs as the runtime's unprivileged user with the
 * function containers' isolation (no capabilities, read-only root), its own memory, CPU and time limits, on the
 * build network, with no environment but the tool's: nothing of the platform (credentials, URLs) reaches it.
 */
@Service
public class DependencyBuilder {

    private static final Logger log = LoggerFactory.getLogger(DependencyBuilder.class);
    /** Marks build containers for operators ({@code docker ps --filter label=io.cloudfunc.build}). */
    static final String BUILD_LABEL = "io.cloudfunc.build";
    /** The tool a build container runs (pip, npm). */
    static final String TOOL_LABEL = "io.cloudfunc.build.tool";
    private static final String MOUNT = "/cloudfunc";
    private static final int ERROR_LINES = 20;
    private static final Pattern ERROR_LINE = Pattern.compile(
            "(?i)^(error|npm err!|npm error|.*\\berror:|.*could not find a version|.*no matching distribution)");
    /** Builds at once on this node: each may take a CPU and a GiB; a deploy waits for room up to its timeout. */
    private static final int CONCURRENT_BUILDS = 2;

    private final ContainerEngine engine;
    private final RegistryClient registry;
    private final ContainerManagerProperties properties;
    private final BuildLogs logs;
    private final ExecutorService background;
    private final Semaphore room = new Semaphore(CONCURRENT_BUILDS, true);
    /** The directories of builds running now: not leftovers. */
    private final java.util.Set<Path> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean networkReady;

    DependencyBuilder(ContainerEngine engine, RegistryClient registry, ContainerManagerProperties properties,
                      BuildLogs logs, @Qualifier("cloudfuncBackground") ExecutorService background) {
        this.engine = engine;
        this.registry = registry;
        this.properties = properties;
        this.logs = logs;
        this.background = background;
    }

    /**
     * @param buildId the id the build's log is read by ({@code GET /internal/builds/{id}/log})
     * @return empty when the deploy has nothing to install
     * @throws ProblemException 400 build-failed or build-timed-out (nothing stored), 400 for a request the runtime
     *                          cannot take, 503 when the platform could not run the build
     */
    Optional<DependencyBuildResult> build(DependencyBuildRequest request, byte[] zip, String buildId) {
        Optional<BuildManifest> found = BuildManifest.of(request.runtime(), zip, request.dependencies());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        BuildManifest manifest = found.get();
        String image = imageOf(request.runtime());
        String digest = manifest.digest(imageId(image), settings(manifest.tool()));
        Optional<DependencyBuildView> stored = registryCall(() -> registry.dependencyBuild(digest));
        if (stored.isPresent()) {
            logs.ended(buildId, List.of("Dependencies already built (digest " + digest.substring(0, 12) + ", built in "
                    + stored.get().buildMs() + " ms): reused"));
            log.info("Build of {} ({}): reused {}", request.functionName(), manifest.tool().command(),
                    digest.substring(0, 12));
            return Optional.of(new DependencyBuildResult(digest, true, stored.get().buildMs(), stored.get().size()));
        }
        boolean acquired;
        try {
            acquired = room.tryAcquire(properties.builds().timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problems.platformError("container-manager", "The build was interrupted.");
        }
        if (!acquired) {
            throw Problems.platformError("container-manager", "No room for a dependency build: others took it for"
                    + " longer than " + properties.builds().timeout().toSeconds() + " s.");
        }
        try {
            return Optional.of(run(request, manifest, image, digest, buildId));
        } finally {
            room.release();
        }
    }

    private DependencyBuildResult run(DependencyBuildRequest request, BuildManifest manifest, String image,
                                      String digest, String buildId) {
        ContainerManagerProperties.Builds settings = properties.builds();
        Path directory = settings.workDir().resolve(UUID.randomUUID().toString());
        Path logFile = directory.resolve("build.log");
        String containerId = null;
        long start = System.nanoTime();
        running.add(directory);
        try {
            prepare(directory, manifest);
            logs.started(buildId, logFile);
            ensureNetwork();
            containerId = engine.createWithStdin(spec(request, manifest, image, directory));
            AttachedRun run = engine.runAttached(containerId, new byte[0], 64 * 1024, 64 * 1024, settings.timeout());
            long buildMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            List<String> lines = new ArrayList<>(BuildLogs.read(logFile));
            addOutput(lines, run.stdout());
            addOutput(lines, run.stderr());
            String tool = manifest.tool().command();
            if (run.timedOut()) {
                lines.add("Build stopped: it ran past its time limit of " + settings.timeout().toSeconds() + " s");
                logs.ended(buildId, lines);
                log.info("Build of {} ({}): stopped after {} ms, past its time limit", request.functionName(), tool,
                        buildMs);
                throw Problems.buildTimedOut(request.functionName(), settings.timeout(), tail(lines, ERROR_LINES));
            }
            if (run.oomKilled()) {
                lines.add("Build stopped: it ran out of memory (limit " + settings.memory().toMegabytes() + " MB)");
                logs.ended(buildId, lines);
                throw Problems.buildFailed(request.functionName(), tool, tail(lines, ERROR_LINES));
            }
            if (run.exitCode() == null || run.exitCode() != 0) {
                lines.add("Build failed: " + tool + " exited with code " + run.exitCode());
                logs.ended(buildId, lines);
                log.info("Build of {} ({}): failed in {} ms, exit code {}", request.functionName(), tool, buildMs,
                        run.exitCode());
                throw Problems.buildFailed(request.functionName(), tool, errorLines(lines));
            }
            byte[] archive = zipOutput(directory, manifest.tool(), request.functionName());
            DependencyBuildView view = registryCall(() -> registry.storeDependencyBuild(digest, request.runtime(),
                    buildMs, archive));
            lines.add("Built in " + buildMs + " ms: " + archive.length + " bytes stored (digest "
                    + digest.substring(0, 12) + ")");
            logs.ended(buildId, lines);
            log.info("Build of {} ({}): built in {} ms, {} bytes, digest {}", request.functionName(), tool, buildMs,
                    archive.length, digest.substring(0, 12));
            return new DependencyBuildResult(digest, false, view.buildMs(), view.size());
        } catch (ContainerEngineException e) {
            logs.ended(buildId, List.of("Build failed: the platform could not run it"));
            throw Problems.platformError("container-manager", "The dependency build could not run: "
                    + e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            logs.ended(buildId, List.of("Build failed: the platform could not prepare it"));
            log.warn("Build of {}: could not use {}: {}", request.functionName(), directory, e.toString());
            throw Problems.platformError("container-manager", "The dependency build could not be prepared.");
        } finally {
            String id = containerId;
            background.execute(() -> {
                cleanUp(id, directory);
                running.remove(directory);
            });
        }
    }

    /** The build's directory: the tool's files in {@code work/}, its output, home and temporary directories. */
    private void prepare(Path directory, BuildManifest manifest) throws IOException {
        Files.createDirectories(directory);
        for (String sub : List.of("work", "out", "home", "tmp")) {
            Files.createDirectory(directory.resolve(sub));
        }
        for (var file : manifest.files().entrySet()) {
            Files.write(directory.resolve("work").resolve(file.getKey()), file.getValue());
        }
        Files.writeString(directory.resolve("build.sh"), script(manifest));
        Path ca = properties.builds().caBundle();
        if (ca != null && Files.isReadable(ca)) {
            Files.copy(ca, directory.resolve("ca.pem"));
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.toList()) {
                handToBuild(path);
            }
        }
    }

    /** The runtime user owns the build's directory (the manager runs as root); else it is opened to everyone. */
    private void handToBuild(Path path) throws IOException {
        int uid = properties.runtimeUid();
        try {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path)
                    ? "rwxrwxrwx" : "rw-rw-rw-"));
        }
    }

    /** The shell script the container runs: the tool, its output appended to build.log. */
    String script(BuildManifest manifest) {
        ContainerManagerProperties.Builds settings = properties.builds();
        StringBuilder script = new StringBuilder("exec >>" + MOUNT + "/build.log 2>&1\ncd " + MOUNT + "/work || exit 1\n");
        if (manifest.tool() == BuildManifest.Tool.PIP) {
            List<String> command = new ArrayList<>(List.of("python3", "-m", "pip", "install", "--no-input",
                    "--disable-pip-version-check", "--no-warn-script-location", "--progress-bar", "off",
                    "--target", MOUNT + "/out", "-r", BuildManifest.REQUIREMENTS));
            ContainerManagerProperties.Pip pip = settings.pip();
            List<String> urls = new ArrayList<>();
            if (pip.indexUrl() != null) {
                command.addAll(List.of("--index-url", pip.indexUrl()));
                urls.add(pip.indexUrl());
            }
            for (String url : pip.extraIndexUrls()) {
                command.addAll(List.of("--extra-index-url", url));
                urls.add(url);
            }
            for (String url : pip.findLinks()) {
                command.addAll(List.of("--find-links", url));
                urls.add(url);
            }
            for (String url : urls) {
                String host = plainHttpHost(url);
                if (host != null) {
                    command.addAll(List.of("--trusted-host", host));
                }
            }
            script.append("echo '$ pip install -r requirements.txt'\n");
            script.append(shellWords(command)).append('\n');
        } else {
            String npmVersion = "npm@" + settings.npmVersion();
            script.append("if ! command -v npm >/dev/null 2>&1; then\n")
                    .append("  echo ").append(quote("(the runtime image has no npm: " + npmVersion
                            + " through corepack)")).append('\n')
                    .append("  npm() { corepack ").append(quote(npmVersion)).append(" \"$@\"; }\n")
                    .append("fi\n");
            List<String> command = new ArrayList<>(manifest.locked()
                    ? List.of("npm", "ci", "--omit=dev") : List.of("npm", "install", "--omit=dev"));
            command.addAll(List.of("--no-audit", "--no-fund", "--no-update-notifier"));
            if (settings.npmRegistry() != null) {
                command.addAll(List.of("--registry", settings.npmRegistry()));
            }
            script.append("echo ").append(quote("$ " + String.join(" ", command.subList(0, 3)))).append('\n');
            script.append(shellWords(command)).append('\n');
        }
        return script.toString();
    }

    private ContainerSpec spec(DependencyBuildRequest request, BuildManifest manifest, String image, Path directory) {
        ContainerManagerProperties.Builds settings = properties.builds();
        String uid = Integer.toString(properties.runtimeUid());
        List<String> env = new ArrayList<>(List.of("HOME=" + MOUNT + "/home", "TMPDIR=" + MOUNT + "/tmp",
                "PIP_NO_CACHE_DIR=1", "npm_config_cache=" + MOUNT + "/home/.npm",
                "COREPACK_HOME=" + MOUNT + "/home/.corepack", "COREPACK_ENABLE_DOWNLOAD_PROMPT=0",
                "COREPACK_ENABLE_STRICT=0"));
        if (Files.exists(directory.resolve("ca.pem"))) {
            env.addAll(List.of("PIP_CERT=" + MOUNT + "/ca.pem", "NODE_EXTRA_CA_CERTS=" + MOUNT + "/ca.pem"));
        }
        String name = "cloudfunc-build-" + request.functionName() + "-" + directory.getFileName().toString()
                .substring(0, 8);
        return new ContainerSpec(name, image, uid + ":" + uid,
                Map.of(BUILD_LABEL, "true", TOOL_LABEL, manifest.tool().command(), Labels.MANAGER, properties.node()),
                env, directory.toString(), MOUNT, settings.memory().toBytes(), 1024,
                settings.cpuMillis(), 64L * 1024 * 1024, 1024L * 1024, settings.network(), null,
                List.of("/bin/sh", MOUNT + "/build.sh"));
    }

    /**
     * Builds this manager left behind when it stopped (their deploys failed with it): their containers and
     * directories are removed once it is ready, in the background.
     */
    @EventListener(ApplicationReadyEvent.class)
    void removeLeftovers() {
        background.execute(() -> {
            try {
                for (var container : engine.list(Map.of(BUILD_LABEL, "true", Labels.MANAGER, properties.node()))) {
                    engine.remove(container.id());
                }
            } catch (ContainerEngineException e) {
                log.warn("Could not remove leftover build containers: {}", e.getMessage());
            }
            Path workDir = properties.builds().workDir();
            if (Files.isDirectory(workDir)) {
                try (Stream<Path> leftovers = Files.list(workDir)) {
                    leftovers.filter(path -> !running.contains(path)).forEach(path -> cleanUp(null, path));
                } catch (IOException | UncheckedIOException e) {
                    log.warn("Could not list {}: {}", workDir, e.toString());
                }
            }
        });
    }

    private void ensureNetwork() {
        if (!networkReady) {
            engine.ensureNetwork(properties.builds().network());
            networkReady = true;
        }
    }

    /** What was installed, zipped as it is laid out beside the code: site-packages' content, or node_modules/. */
    private byte[] zipOutput(Path directory, BuildManifest.Tool tool, String functionName) throws IOException {
        Path output = tool == BuildManifest.Tool.PIP ? directory.resolve("out")
                : directory.resolve("work").resolve("node_modules");
        String prefix = tool == BuildManifest.Tool.PIP ? "" : "node_modules/";
        long limit = properties.builds().maxOutput().toBytes();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            if (Files.isDirectory(output, LinkOption.NOFOLLOW_LINKS)) {
                long[] total = {0};
                Files.walkFileTree(output, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                        if (!attributes.isRegularFile()) {
                            return FileVisitResult.CONTINUE; // symbolic links (node_modules/.bin) are left out
                        }
                        total[0] += attributes.size();
                        if (total[0] > limit) {
                            throw Problems.buildFailed(functionName, tool.command(), List.of("The installed packages"
                                    + " exceed the platform's limit of " + limit / (1024 * 1024) + " MB"));
                        }
                        zip.putNextEntry(new ZipEntry(prefix + output.relativize(file).toString()));
                        try (InputStream in = Files.newInputStream(file)) {
                            in.transferTo(zip);
                        }
                        zip.closeEntry();
                        return FileVisitResult.CONTINUE;
                    }
                });
            }
        }
        return bytes.toByteArray();
    }

    private void cleanUp(String containerId, Path directory) {
        if (containerId != null) {
            try {
                engine.remove(containerId);
            } catch (ContainerEngineException e) {
                log.warn("Could not remove build container {}: {}", containerId, e.getMessage());
            }
        }
        DirectoryTrees.delete(directory);
    }

    private String imageOf(String runtime) {
        ContainerManagerProperties.RuntimeImage image = properties.runtimes().get(runtime);
        if (image == null) {
            throw Problems.platformError("container-manager", "This container-manager has no image for runtime '"
                    + runtime + "'.");
        }
        return image.image();
    }

    private String imageId(String image) {
        try {
            return engine.inspectImage(image).map(ImageSummary::id).orElseThrow(() -> Problems.platformError(
                    "container-manager", "The runtime image " + image + " is not on this node's Docker engine."));
        } catch (ContainerEngineException e) {
            throw Problems.platformError("container-manager", "The Docker engine did not answer: " + e.getMessage());
        }
    }

    private String settings(BuildManifest.Tool tool) {
        ContainerManagerProperties.Builds settings = properties.builds();
        if (tool == BuildManifest.Tool.PIP) {
            ContainerManagerProperties.Pip pip = settings.pip();
            return "index-url=" + pip.indexUrl() + "\nextra-index-urls=" + pip.extraIndexUrls()
                    + "\nfind-links=" + pip.findLinks();
        }
        return "registry=" + settings.npmRegistry() + "\nnpm=" + settings.npmVersion();
    }

    private static <T> T registryCall(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RegistryUnavailableException | RegistryRejectedException e) {
            throw Problems.platformError("function-registry", "The registry could not store or find the build: "
                    + e.getMessage());
        }
    }

    /** The lines that say why: the tool's error lines, else its last lines. */
    static List<String> errorLines(List<String> lines) {
        List<String> errors = lines.stream().filter(line -> ERROR_LINE.matcher(line.strip()).find()).toList();
        return tail(errors.isEmpty() ? lines : errors, ERROR_LINES);
    }

    private static List<String> tail(List<String> lines, int count) {
        return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    private static void addOutput(List<String> lines, byte[] output) {
        if (output != null && output.length > 0) {
            new String(output, StandardCharsets.UTF_8).lines().forEach(lines::add);
        }
    }

    /** The host of an http:// URL (pip then needs {@code --trusted-host}), null for https and the rest. */
    static String plainHttpHost(String url) {
        try {
            URI uri = URI.create(url);
            return "http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
                    ? uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String shellWords(List<String> words) {
        return String.join(" ", words.stream().map(DependencyBuilder::quote).toList());
    }

    /** A word in single quotes, for sh. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}

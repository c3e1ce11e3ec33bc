package io.cloudfunc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * npm dependencies of a Node function, installed at deploy time on the developer's machine. A function container has
 * no network and a read-only file system, so nothing can install them later, and the registry refuses a Node
 * archive whose package.json dependencies are not in its node_modules. When the folder has a package.json with
 * dependencies and no node_modules, the CLI copies it to a temporary folder, runs {@code npm ci --omit=dev} (with a
 * package-lock.json) or {@code npm install --omit=dev} there, and deploys that copy: the user's folder is left as it
 * was. A folder that has node_modules is deployed as it is.
 */
final class NodeDependencies {

    static final long NPM_TIMEOUT_MINUTES = 10;

    private NodeDependencies() {
    }

    /** Whether {@code dir} declares dependencies that are not installed. */
    static boolean needInstall(Path dir) {
        Path manifest = dir.resolve("package.json");
        if (!Files.isRegularFile(manifest) || Files.isDirectory(dir.resolve("node_modules"))) {
            return false;
        }
        try {
            JsonNode dependencies = GatewayClient.JSON.readTree(Files.readString(manifest, StandardCharsets.UTF_8))
                    .path("dependencies");
            return dependencies.isObject() && !dependencies.isEmpty();
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + manifest + ": " + CliException.reason(e));
        } catch (JacksonException e) {
            throw new CliException(ExitCodes.USAGE, manifest + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** A temporary copy of {@code dir} with its dependencies installed; the caller deletes it ({@link #delete}). */
    static Path installedCopy(Path dir, PrintWriter err) {
        Path copy;
        try {
            copy = Files.createTempDirectory("cloudfunc-deploy-");
            copyTree(dir, copy);
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNEXPECTED, "cannot copy " + dir + ": " + CliException.reason(e));
        }
        List<String> command = new ArrayList<>(List.of(npm(),
                Files.isRegularFile(copy.resolve("package-lock.json")) ? "ci" : "install",
                "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"));
        err.printf("Installing npm dependencies (%s)...%n", String.join(" ", command.subList(1, command.size())));
        err.flush();
        try {
            Process npm = new ProcessBuilder(command).directory(copy.toFile()).redirectErrorStream(true).start();
            npm.getOutputStream().close(); // npm must not wait for input
            byte[] output = npm.getInputStream().readAllBytes();
            if (!npm.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new CliException(ExitCodes.UNEXPECTED, "npm did not finish within " + NPM_TIMEOUT_MINUTES
                        + " minutes");
            }
            if (npm.exitValue() != 0) {
                String text = new String(output, StandardCharsets.UTF_8).strip();
                String last = text.isEmpty() ? "" : ": " + text.lines().reduce((a, b) -> b).orElse("");
                throw new CliException(ExitCodes.USAGE, "npm " + command.get(1) + " failed (exit "
                        + npm.exitValue() + ")" + last);
            }
        } catch (IOException e) {
            delete(copy);
            throw new CliException(ExitCodes.USAGE, dir + "/package.json has dependencies but no node_modules, and"
                    + " npm could not be run (" + CliException.reason(e) + "): install Node.js and npm, or run"
                    + " npm install --omit=dev in " + dir + " first");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNEXPECTED, "interrupted while npm was running");
        } catch (CliException e) {
            delete(copy);
            throw e;
        }
        return copy;
    }

    /** npm, or npm.cmd on Windows. */
    private static String npm() {
        return System.getProperty("os.name", "").startsWith("Windows") ? "npm.cmd" : "npm";
    }

    /** Copies the tree, links as links (so the archive's own link checks still apply), without .git. */
    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from) && dir.getFileName().toString().equals(".git")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file)), LinkOption.NOFOLLOW_LINKS,
                        StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a temporary folder left behind is not worth failing the deploy for
        }
    }
}

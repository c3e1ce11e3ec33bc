package io.cloudfunc.containers.build;

import io.cloudfunc.support.problem.Problems;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a deploy asks to be installed: the dependency files of its archive's top level (and seed 002's list), read
 * without unpacking anything else. Python: {@code requirements.txt}, with the list's lines added. Node: a
 * {@code package.json} that declares dependencies while the archive has no {@code node_modules/}, with its lock file
 * and {@code .npmrc} when there; or, without a package.json, one made of the list ({@code name@range}).
 *
 * @param tool  {@link Tool#PIP} or {@link Tool#NPM}
 * @param files the files the tool is run with, by name (contents as given)
 */
record BuildManifest(Tool tool, Map<String, byte[]> files) {

    /** The installer a build runs. */
    enum Tool {
        PIP("pip"), NPM("npm");

        private final String command;

        Tool(String command) {
            this.command = command;
        }

        String command() {
            return command;
        }
    }

    static final String REQUIREMENTS = "requirements.txt";
    static final String PACKAGE_JSON = "package.json";
    static final Set<String> NPM_LOCK_FILES = Set.of("package-lock.json", "npm-shrinkwrap.json");
    private static final Set<String> NODE_FILES = Set.of(PACKAGE_JSON, "package-lock.json", "npm-shrinkwrap.json",
            ".npmrc");
    private static final JsonMapper JSON = JsonMapper.shared();

    BuildManifest {
        files = Map.copyOf(files);
    }

    /** Whether npm finds a lock file: then {@code npm ci} installs exactly what it says. */
    boolean locked() {
        return NPM_LOCK_FILES.stream().anyMatch(files::containsKey);
    }

    /**
     * @param runtime      the function's runtime; only python and node have builds
     * @param zip          the deploy's archive
     * @param dependencies seed 002's list (may be empty)
     * @return empty when there is nothing to install
     * @throws io.cloudfunc.support.problem.ProblemException 400 for a list the runtime cannot take, or a package.json
     *                                                       that is not JSON
     */
    static Optional<BuildManifest> of(String runtime, byte[] zip, List<String> dependencies) {
        if ("python".equals(runtime)) {
            return python(topLevelFiles(zip, Set.of(REQUIREMENTS)), dependencies);
        }
        if ("node".equals(runtime)) {
            return node(zip, dependencies);
        }
        if (!dependencies.isEmpty()) {
            throw Problems.invalidRequest("Runtime " + runtime + " has no dependency builds: 'dependencies' is for"
                    + " python and node (a java function's jar carries its libraries).").with("field", "dependencies");
        }
        return Optional.empty();
    }

    private static Optional<BuildManifest> python(Map<String, byte[]> found, List<String> dependencies) {
        StringBuilder requirements = new StringBuilder();
        if (found.containsKey(REQUIREMENTS)) {
            requirements.append(new String(found.get(REQUIREMENTS), StandardCharsets.UTF_8));
            if (!requirements.isEmpty() && requirements.charAt(requirements.length() - 1) != '\n') {
                requirements.append('\n');
            }
        }
        for (String dependency : dependencies) {
            if (dependency == null || dependency.isBlank() || dependency.contains("\n") || dependency.contains("\r")) {
                throw Problems.invalidRequest("Each of 'dependencies' is one requirement (\"requests==2.32.3\"), not"
                        + " blank and on one line.").with("field", "dependencies");
            }
            requirements.append(dependency.strip()).append('\n');
        }
        boolean anything = requirements.toString().lines().map(String::strip)
                .anyMatch(line -> !line.isEmpty() && !line.startsWith("#"));
        if (!anything) {
            return Optional.empty();
        }
        return Optional.of(new BuildManifest(Tool.PIP,
                Map.of(REQUIREMENTS, requirements.toString().getBytes(StandardCharsets.UTF_8))));
    }

    private static Optional<BuildManifest> node(byte[] zip, List<String> dependencies) {
        Map<String, byte[]> found = topLevelFiles(zip, NODE_FILES);
        if (found.containsKey(PACKAGE_JSON)) {
            if (!dependencies.isEmpty()) {
                throw Problems.invalidRequest("Give a node function's dependencies in its package.json or in"
                        + " 'dependencies', not both.").with("field", "dependencies");
            }
            JsonNode declared;
            try {
                declared = JSON.readTree(found.get(PACKAGE_JSON)).path("dependencies");
            } catch (JacksonException e) {
                throw Problems.invalidArchive("package.json is not valid JSON: " + e.getOriginalMessage());
            }
            if (!declared.isObject() || declared.isEmpty() || hasNodeModules(zip)) {
                return Optional.empty(); // nothing declared, or installed by the deployer already
            }
            return Optional.of(new BuildManifest(Tool.NPM, found));
        }
        if (dependencies.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode packageJson = JSON.createObjectNode();
        packageJson.put("name", "cloudfunc-function").put("private", true);
        ObjectNode declared = packageJson.putObject("dependencies");
        for (String dependency : dependencies) {
            String spec = dependency == null ? "" : dependency.strip();
            int at = spec.lastIndexOf('@');
            String name = at > 0 ? spec.substring(0, at) : spec;
            String range = at > 0 ? spec.substring(at + 1) : "*";
            if (name.isEmpty() || range.isEmpty() || spec.chars().anyMatch(Character::isWhitespace)) {
                throw Problems.invalidRequest("Each of 'dependencies' of a node function is a package, or"
                        + " name@range (\"is-number@7.0.0\"), not '" + dependency + "'.").with("field", "dependencies");
            }
            declared.put(name, range);
        }
        Map<String, byte[]> files = new TreeMap<>(found);
        files.put(PACKAGE_JSON, JSON.writeValueAsBytes(packageJson));
        return Optional.of(new BuildManifest(Tool.NPM, files));
    }

    /**
     * The build's key: the tool and its files, the runtime image and the settings that change what is installed. Two
     * deploys with the same key get the same build.
     */
    String digest(String imageId, String settings) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            update(sha, "cloudfunc dependency build 1");
            update(sha, tool.name());
            update(sha, imageId);
            update(sha, settings);
            for (var file : new TreeMap<>(files).entrySet()) {
                update(sha, file.getKey());
                sha.update(Long.toString(file.getValue().length).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(file.getValue());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void update(MessageDigest sha, String text) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

    /** The archive's top-level files of those names ({@code ./name} counts as {@code name}). */
    private static Map<String, byte[]> topLevelFiles(byte[] zip, Set<String> names) {
        Map<String, byte[]> found = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String name = normalized(entry.getName());
                if (!entry.isDirectory() && names.contains(name)) {
                    found.put(name, in.readAllBytes());
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw Problems.invalidArchive("The code archive could not be read: " + e.getMessage());
        }
        return found;
    }

    private static boolean hasNodeModules(byte[] zip) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String name = normalized(entry.getName());
                if (name.equals("node_modules") || name.startsWith("node_modules/")) {
                    return true;
                }
            }
            return false;
        } catch (IOException | IllegalArgumentException e) {
            throw Problems.invalidArchive("The code archive could not be read: " + e.getMessage());
        }
    }

    private static String normalized(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }
}

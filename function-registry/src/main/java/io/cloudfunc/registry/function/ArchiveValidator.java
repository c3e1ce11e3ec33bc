package io.cloudfunc.registry.function;

import io.cloudfunc.registry.RegistryProperties;
import io.cloudfunc.registry.problem.RegistryProblems;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides whether a code archive may be stored: a readable zip whose entries all stay inside the directory it is
 * unpacked into, within the size limits, holding the handler's file, and (Node) the dependencies its
 * {@code package.json} declares.
 * <p>
 * The entries are read twice: streamed (as a streaming unpacker sees them), counting the bytes they really inflate
 * to rather than trusting the sizes their headers claim, and through the central directory (as {@code unzip} and
 * {@link ZipFile} see them). An archive whose two views disagree is rejected, so no unpacker can find an entry here
 * that was not checked.
 */
@Component
class ArchiveValidator {

    private static final Logger log = LoggerFactory.getLogger(ArchiveValidator.class);
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final byte[] EMPTY_ZIP_MAGIC = {'P', 'K', 5, 6};
    private static final Pattern WINDOWS_DRIVE = Pattern.compile("^[A-Za-z]:.*");
    private static final String PACKAGE_JSON = "package.json";
    private static final JsonMapper JSON = JsonMapper.shared();

    private final long maxUnpackedBytes;
    private final int maxEntries;

    @Autowired
    ArchiveValidator(RegistryProperties properties) {
        this(properties.maxUnpackedSize().toBytes(), properties.maxArchiveEntries());
    }

    ArchiveValidator(long maxUnpackedBytes, int maxEntries) {
        this.maxUnpackedBytes = maxUnpackedBytes;
        this.maxEntries = maxEntries;
    }

    /** What a valid archive holds. */
    record ArchiveContents(Set<String> files, int entryCount, long unpackedBytes) {
    }

    /**
     * @param handlerFile path of the file the handler lives in, e.g. {@code pkg/mod.py}; null when the runtime has
     *                    no such rule
     * @throws ProblemException 400 INVALID_ARCHIVE or 413 PAYLOAD_TOO_LARGE
     */
    ArchiveContents validate(byte[] archive, String handlerFile) {
        return validate(archive, handlerFile == null ? List.of() : List.of(handlerFile), false);
    }

    /**
     * @param handlerFiles the files the handler may live in (any one will do, e.g. {@code index.js},
     *                     {@code index.mjs}); empty when the runtime has no such rule
     * @param nodeDependencies whether the dependencies of a top-level {@code package.json} must be in the archive's
     *                     {@code node_modules} (nothing installs them later: function containers have no network)
     * @throws ProblemException 400 INVALID_ARCHIVE or 413 PAYLOAD_TOO_LARGE
     */
    ArchiveContents validate(byte[] archive, List<String> handlerFiles, boolean nodeDependencies) {
        if (archive == null || archive.length == 0) {
            throw RegistryProblems.invalidArchive("the code archive is empty");
        }
        if (startsWith(archive, EMPTY_ZIP_MAGIC)) {
            throw RegistryProblems.invalidArchive("the code archive holds no files");
        }
        if (!startsWith(archive, ZIP_MAGIC)) {
            throw RegistryProblems.invalidArchive("the code archive is not a zip file");
        }
        ArchiveContents contents = readStreamed(archive);
        checkCentralDirectory(archive, contents);
        if (!handlerFiles.isEmpty() && handlerFiles.stream().noneMatch(contents.files()::contains)) {
            String handlerFile = handlerFiles.getFirst();
            String alternatives = handlerFiles.size() == 1 ? ""
                    : " (nor " + String.join(", ", handlerFiles.subList(1, handlerFiles.size())) + ")";
            throw RegistryProblems.invalidArchive("handler file " + handlerFile + " not found in archive"
                    + alternatives + nestedHint(contents.files(), handlerFile))
                    .with("handlerFile", handlerFile);
        }
        if (nodeDependencies && contents.files().contains(PACKAGE_JSON)) {
            checkNodeDependencies(archive, contents.files());
        }
        return contents;
    }

    /** The file a handler such as {@code pkg.mod.handler} lives in for a runtime, or null when unknown. */
    static String handlerFile(String runtime, String handler) {
        List<String> files = handlerFiles(runtime, handler);
        return files.isEmpty() ? null : files.getFirst();
    }

    /**
     * The files a handler may live in for a runtime, first the usual one; empty when the runtime has no such rule.
     * Python {@code pkg.mod.fn}: {@code pkg/mod.py}. Node {@code src/app.main}: {@code src/app.js}, {@code .mjs}
     * or {@code .cjs}. Java {@code com.example.Hello[::method]}: {@code com/example/Hello.class} (the archive is the
     * function's jar, its own classes at the top; libraries in {@code lib/*.jar}).
     */
    static List<String> handlerFiles(String runtime, String handler) {
        if (runtime.equals("java")) {
            int method = handler.indexOf("::");
            String className = method < 0 ? handler : handler.substring(0, method);
            return List.of(className.replace('.', '/') + ".class");
        }
        int lastDot = handler.lastIndexOf('.');
        if (lastDot <= 0) {
            return List.of();
        }
        String module = handler.substring(0, lastDot);
        return switch (runtime) {
            case "python" -> List.of(module.replace('.', '/') + ".py");
            case "node" -> List.of(module + ".js", module + ".mjs", module + ".cjs");
            default -> List.of();
        };
    }

    /**
     * Every dependency in the top-level package.json must be installed in the archive's node_modules: a function
     * container has no network and a read-only file system, so nothing can install it later. The CLI installs them
     * before uploading a folder ({@code npm install --omit=dev}).
     */
    private static void checkNodeDependencies(byte[] archive, Set<String> files) {
        JsonNode dependencies;
        try {
            dependencies = JSON.readTree(entry(archive, PACKAGE_JSON)).path("dependencies");
        } catch (JacksonException | IOException e) {
            throw RegistryProblems.invalidArchive("package.json is not valid JSON: " + e.getMessage());
        }
        List<String> missing = new ArrayList<>();
        for (String name : dependencies.propertyNames()) {
            if (!files.contains("node_modules/" + name + "/package.json")) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw RegistryProblems.invalidArchive("package.json depends on " + String.join(", ", missing)
                    + " but node_modules/ in the archive does not hold " + (missing.size() == 1 ? "it" : "them")
                    + ": run npm install --omit=dev before zipping, or deploy the folder with the cloudfunc CLI,"
                    + " which does")
                    .with("missingDependencies", missing);
        }
    }

    private static byte[] entry(byte[] archive, String name) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (normalized(entry.getName()).equals(name)) {
                    return zip.readAllBytes();
                }
            }
        }
        throw new IOException(name + " not found");
    }

    private ArchiveContents readStreamed(byte[] archive) {
        Set<String> files = new LinkedHashSet<>();
        Set<String> folders = new HashSet<>();
        long unpacked = 0;
        int entries = 0;
        byte[] buffer = new byte[64 * 1024];
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                entries++;
                if (entries > maxEntries) {
                    throw Problems.payloadTooLarge(
                            "the code archive has more than " + maxEntries + " entries");
                }
                String name = checkedName(entry.getName());
                int read;
                while ((read = zip.read(buffer)) != -1) {
                    unpacked += read;
                    if (unpacked > maxUnpackedBytes) {
                        throw Problems.payloadTooLarge("the code archive unpacks to more than the limit of "
                                + RegistryProblems.describeSize(maxUnpackedBytes));
                    }
                }
                if (entry.isDirectory()) {
                    folders.add(normalized(name));
                } else if (!files.add(normalized(name))) {
                    throw RegistryProblems.invalidArchive("the code archive holds '" + name + "' twice")
                            .with("entry", name);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // ZipException, EOFException (truncated data) or a malformed entry name.
            throw corrupt(e);
        }
        if (entries == 0) {
            throw RegistryProblems.invalidArchive("the code archive is not a readable zip file");
        }
        checkNoFileIsAFolder(files, folders);
        return new ArchiveContents(Collections.unmodifiableSet(files), entries, unpacked);
    }

    /**
     * A path cannot be a file and a folder at once: with both {@code d} and {@code d/e} (or a folder entry
     * {@code d/}) no unpacker can write the archive out, so it is refused now rather than at every cold start.
     */
    private static void checkNoFileIsAFolder(Set<String> files, Set<String> folders) {
        for (String file : files) {
            if (folders.contains(file)) {
                throw conflict(file, file + "/");
            }
            for (int slash = file.indexOf('/'); slash > 0; slash = file.indexOf('/', slash + 1)) {
                String parent = file.substring(0, slash);
                if (files.contains(parent)) {
                    throw conflict(parent, file);
                }
            }
        }
    }

    private static ProblemException conflict(String file, String inside) {
        return RegistryProblems.invalidArchive("archive entry '" + file + "' is a file, but '" + inside
                + "' needs it to be a folder").with("entry", file);
    }

    private void checkCentralDirectory(byte[] archive, ArchiveContents streamed) {
        Path file = null;
        try {
            file = Files.createTempFile("cloudfunc-archive-", ".zip");
            Files.write(file, archive);
            List<String> listed = new ArrayList<>();
            try (ZipFile zip = new ZipFile(file.toFile())) {
                zip.stream().forEach(entry -> listed.add(checkedName(entry.getName())));
            }
            if (listed.size() != streamed.entryCount() || !sameEntries(listed, streamed)) {
                throw RegistryProblems.invalidArchive(
                        "the code archive's central directory does not match its entries");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw corrupt(e);
        } finally {
            deleteQuietly(file);
        }
    }

    private static boolean sameEntries(List<String> listed, ArchiveContents streamed) {
        Set<String> listedFiles = new HashSet<>();
        for (String name : listed) {
            if (!name.endsWith("/")) {
                listedFiles.add(normalized(name));
            }
        }
        return listedFiles.equals(streamed.files());
    }

    /** Rejects a name that could land outside the unpack directory on any platform. */
    private static String checkedName(String name) {
        if (name == null || name.isEmpty()) {
            throw RegistryProblems.invalidArchive("the code archive holds an entry without a name");
        }
        if (name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw rejected(name, "contains a backslash or NUL character");
        }
        if (name.startsWith("/") || WINDOWS_DRIVE.matcher(name).matches()) {
            throw rejected(name, "is an absolute path");
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw rejected(name, "escapes the archive root with '..'");
            }
        }
        if (normalized(name).isEmpty()) {
            throw rejected(name, "does not name a file or folder");
        }
        return name;
    }

    private static ProblemException corrupt(Exception cause) {
        String why = cause.getMessage() == null ? "unexpected end of data" : cause.getMessage();
        return RegistryProblems.invalidArchive("the code archive is corrupt: " + why);
    }

    private static ProblemException rejected(String name, String why) {
        return RegistryProblems.invalidArchive("archive entry '" + name + "' " + why).with("entry", name);
    }

    /** {@code ./a//b.py} and {@code a/b.py} are the same file once unpacked. */
    private static String normalized(String name) {
        List<String> segments = new ArrayList<>();
        for (String segment : name.split("/")) {
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return String.join("/", segments);
    }

    /** A common mistake is zipping the folder instead of its contents: say so. */
    private static String nestedHint(Set<String> files, String handlerFile) {
        return files.stream()
                .filter(file -> file.endsWith("/" + handlerFile))
                .findFirst()
                .map(found -> " (found " + found + ": zip the folder's contents, not the folder)")
                .orElse("");
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete temporary archive {}: {}", file, e.getMessage());
        }
    }
}

package io.cloudfunc.containers.code;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.registry.RegistryClient;
import io.cloudfunc.contracts.function.FunctionVersionView;
import java.io.ByteArrayInputStream;
import io.cloudfunc.containers.DirectoryTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Code archives, unpacked once per SHA-256 and shared (read-only) by every container of the same code. A version with
 * a dependency build gets its code and the build's files merged once per (code, build) pair, in a directory of its
 * own: the build's files beside the code (site-packages' content at the top, node_modules/), the archive's own files
 * winning where both have one.
 */
@Component
public class CodeCache {

    private static final Logger log = LoggerFactory.getLogger(CodeCache.class);
    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r--r--");
    /** Defence in depth: the registry already checks archives on deploy. */
    private static final int MAX_ENTRIES = 10_000;
    private static final long MAX_UNPACKED_BYTES = 512L * 1024 * 1024;

    private final Path root;
    private final RegistryClient registry;
    private final ConcurrentMap<String, CompletableFuture<Path>> downloads = new ConcurrentHashMap<>();
    /** Cleared once a hard link fails (other file system): from then on code is copied. */
    private volatile boolean linking = true;

    @Autowired
    public CodeCache(ContainerManagerProperties properties, RegistryClient registry) {
        this(properties.codeCache(), registry);
    }

    CodeCache(Path root, RegistryClient registry) {
        this.root = root;
        this.registry = registry;
        try {
            Files.createDirectories(root);
            try (Stream<Path> leftovers = Files.list(root)) { // unpacked halfway when the manager last stopped
                leftovers.filter(p -> p.getFileName().toString().contains(".tmp-")).forEach(DirectoryTrees::delete);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the code cache directory " + root, e);
        }
    }

    /**
     * The directory holding the version's unpacked code, with its dependency build installed beside it when it has
     * one; downloads them on first use.
     */
    public Path resolve(FunctionVersionView version) {
        Path code = resolveCode(version);
        return version.dependenciesDigest() == null ? code : withDependencies(code, version.dependenciesDigest());
    }

    /**
     * Cached code ({@link #resolve} or {@link #store}) with a dependency build merged in: made once per pair (the
     * build downloaded from the registry) and shared like code.
     */
    public Path withDependencies(Path code, String dependenciesDigest) {
        String digest = dependenciesDigest.toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(digest).matches()) {
            throw new CodeUnavailableException("dependency build '" + dependenciesDigest + "' is not a digest", null);
        }
        Path merged = root.resolve(code.getFileName() + "+" + digest);
        return once(merged, () -> {
            long start = System.nanoTime();
            byte[] zip = registry.dependencyArchive(digest);
            Path temporary = root.resolve(merged.getFileName() + ".tmp-" + UUID.randomUUID());
            try {
                install(code, temporary);
                unpack(zip, temporary, true);
                Files.move(temporary, merged, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                DirectoryTrees.delete(temporary);
            } catch (IOException e) {
                DirectoryTrees.delete(temporary);
                throw new CodeUnavailableException("cannot install dependency build " + digest.substring(0, 12)
                        + ": " + e.getMessage(), e);
            }
            log.info("Installed dependency build {} ({} bytes) beside code {} in {} ms", digest.substring(0, 12),
                    zip.length, code.getFileName().toString().substring(0, Math.min(12,
                            code.getFileName().toString().length())), (System.nanoTime() - start) / 1_000_000);
            return merged;
        });
    }

    private Path resolveCode(FunctionVersionView version) {
        String sha = version.codeSha256() == null ? "" : version.codeSha256().toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(sha).matches()) {
            throw new CodeUnavailableException("version " + version.version() + " of " + version.functionName()
                    + " has no valid code digest", null);
        }
        Path directory = root.resolve(sha);
        return once(directory, () -> download(version, sha, directory));
    }

    /** The directory, made by {@code make} unless it exists; one maker at a time, the others wait for it. */
    private Path once(Path directory, java.util.function.Supplier<Path> make) {
        if (Files.isDirectory(directory)) {
            return directory;
        }
        String key = directory.getFileName().toString();
        CompletableFuture<Path> mine = new CompletableFuture<>();
        CompletableFuture<Path> running = downloads.putIfAbsent(key, mine);
        if (running != null) { // another call is fetching the same code: wait for it
            try {
                return running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            Path unpacked = make.get();
            mine.complete(unpacked);
            return unpacked;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            downloads.remove(key, mine);
        }
    }

    /** Puts cached code at {@code target} (which must not exist): hard links when possible, else copies. */
    public void install(Path cached, Path target) throws IOException {
        Files.walkFileTree(cached, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path created = Files.createDirectory(target.resolve(cached.relativize(dir).toString()));
                Files.setPosixFilePermissions(created, DIRECTORY);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path destination = target.resolve(cached.relativize(file).toString());
                if (linking) {
                    try {
                        Files.createLink(destination, file);
                        return FileVisitResult.CONTINUE;
                    } catch (FileSystemException | UnsupportedOperationException e) {
                        if (e instanceof FileAlreadyExistsException) {
                            throw (FileAlreadyExistsException) e;
                        }
                        linking = false;
                        log.info("Code cache {} and container directories are on different file systems: code is"
                                + " copied into each container instead of hard-linked", root);
                    }
                }
                Files.copy(file, destination);
                Files.setPosixFilePermissions(destination, FILE);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private Path download(FunctionVersionView version, String sha, Path directory) {
        long start = System.nanoTime();
        byte[] zip = registry.code(version.functionName(), version.version());
        String actual = sha256(zip);
        if (!actual.equals(sha)) {
            throw new CodeUnavailableException("the code of " + version.functionName() + " v" + version.version()
                    + " does not match its digest (expected " + sha + ", got " + actual + ")", null);
        }
        try {
            unpackInto(zip, directory);
        } catch (IOException e) {
            throw new CodeUnavailableException("cannot unpack the code of " + version.functionName() + " v"
                    + version.version() + ": " + e.getMessage(), e);
        }
        log.info("Cached code of {} v{} ({} bytes, sha256 {}) in {} ms", version.functionName(), version.version(),
                zip.length, sha.substring(0, 12), (System.nanoTime() - start) / 1_000_000);
        return directory;
    }

    /**
     * Code not deployed yet (a deploy's code check): unpacked into the cache under its digest, as a deployed version's
     * would be, so that the version's first container finds it there.
     *
     * @throws IOException the archive is not a usable zip
     */
    public Path store(byte[] zip) throws IOException {
        Path directory = root.resolve(sha256(zip));
        if (!Files.isDirectory(directory)) {
            unpackInto(zip, directory);
        }
        return directory;
    }

    /** Unpacks beside {@code directory}, then moves it there at once: a reader never sees half of it. */
    private void unpackInto(byte[] zip, Path directory) throws IOException {
        Path temporary = root.resolve(directory.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            unpack(zip, temporary);
            Files.move(temporary, directory, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            DirectoryTrees.delete(temporary); // unpacked by another manager sharing the cache: theirs is as good
        } catch (IOException e) {
            DirectoryTrees.delete(temporary);
            throw e;
        }
    }

    /** Unpacks a zip under {@code target}, refusing entries that would land outside it. */
    static void unpack(byte[] zip, Path target) throws IOException {
        unpack(zip, target, false);
    }

    /**
     * @param merge {@code target} exists and holds code: entries of the zip that are files there already are left
     *              out (the code's own file wins)
     */
    static void unpack(byte[] zip, Path target, boolean merge) throws IOException {
        if (!merge) {
            Files.createDirectory(target);
            Files.setPosixFilePermissions(target, DIRECTORY);
        }
        Path base = target.toAbsolutePath().normalize();
        long total = 0;
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (++entries > MAX_ENTRIES) {
                    throw new ZipException("more than " + MAX_ENTRIES + " entries");
                }
                Path destination = base.resolve(entry.getName()).normalize();
                if (!destination.startsWith(base) || destination.equals(base)) {
                    if (destination.equals(base) && entry.isDirectory()) {
                        continue; // "./"
                    }
                    throw new ZipException("entry '" + entry.getName() + "' escapes the archive's root");
                }
                if (entry.isDirectory()) {
                    createDirectories(base, destination);
                    continue;
                }
                createDirectories(base, destination.getParent());
                if (merge && Files.exists(destination, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (OutputStream out = Files.newOutputStream(destination)) {
                    total += copyLimited(in, out, MAX_UNPACKED_BYTES - total);
                }
                Files.setPosixFilePermissions(destination, FILE);
            }
        }
        // An empty zip (just its end record, "PK\5\6") is the code of an image function: nothing to unpack.
        if (entries == 0 && !(zip.length >= 4 && zip[0] == 'P' && zip[1] == 'K' && zip[2] == 5 && zip[3] == 6)) {
            throw new ZipException("the archive is empty or not a zip");
        }
    }

    private static void createDirectories(Path base, Path directory) throws IOException {
        if (directory.equals(base) || Files.isDirectory(directory)) {
            return;
        }
        createDirectories(base, directory.getParent());
        Files.createDirectory(directory);
        Files.setPosixFilePermissions(directory, DIRECTORY);
    }

    private static long copyLimited(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long copied = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            copied += n;
            if (copied > limit) {
                throw new ZipException("unpacked code exceeds " + MAX_UNPACKED_BYTES + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return copied;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}

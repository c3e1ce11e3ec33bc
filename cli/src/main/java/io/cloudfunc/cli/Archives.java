package io.cloudfunc.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.PatternSyntaxException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Zips a function directory. Skips what {@code .cloudfuncignore} lists (gitignore semantics, see {@link IgnoreRules})
 * and always skips {@code .git/}, {@code __pycache__/}, {@code *.pyc} and {@code .cloudfuncignore} itself; an ignored
 * directory is not even walked. Symbolic links are followed while they stay inside the directory; one that leads out
 * of it, nowhere, or round in a loop is refused, so a deploy never uploads a file the user did not see in the folder.
 * Entries are sorted, so the same directory always gives the same archive.
 */
final class Archives {

    static final String IGNORE_FILE = ".cloudfuncignore";
    /** The gateway's default {@code gateway.max-archive-size}: a bigger archive would only be refused after the upload. */
    static final long MAX_ARCHIVE_BYTES = 50L * 1024 * 1024;
    private static final List<String> ALWAYS_IGNORED = List.of(".git/", "__pycache__/", "*.pyc", IGNORE_FILE);

    private Archives() {
    }

    static byte[] zip(Path dir) {
        return zip(dir, MAX_ARCHIVE_BYTES);
    }

    /** The archive of {@code dir}, refused (exit 4) as soon as it grows past {@code maxBytes}. */
    static byte[] zip(Path dir, long maxBytes) {
        var rules = IgnoreRules.load(dir);
        List<Path> files = filesToArchive(dir, rules);
        if (files.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "nothing to deploy: " + dir + " has no files (after "
                    + IGNORE_FILE + ")");
        }
        var buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        try (var zip = new ZipOutputStream(buffer)) {
            for (Path relative : files) {
                Path file = dir.resolve(relative);
                try (InputStream in = Files.newInputStream(file)) {
                    var entry = new ZipEntry(relative.toString().replace('\\', '/'));
                    entry.setTime(Files.getLastModifiedTime(file).toMillis());
                    zip.putNextEntry(entry);
                    // checked while copying: one huge file must not fill the heap before the limit is noticed
                    for (int n = in.read(chunk); n > 0; n = in.read(chunk)) {
                        zip.write(chunk, 0, n);
                        checkSize(buffer, maxBytes);
                    }
                    zip.closeEntry();
                } catch (IOException e) {
                    throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + CliException.reason(e));
                }
                checkSize(buffer, maxBytes);
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNEXPECTED, "cannot build the archive of " + dir + ": " + CliException.reason(e));
        }
        checkSize(buffer, maxBytes);
        return buffer.toByteArray();
    }

    /**
     * SHA-256 (hex) of what {@link #zip(Path)} puts in the archive of {@code dir}: each file's path and content, in
     * the archive's order. Unlike the archive's own digest it leaves out the files' times, so a checkout or a copy of
     * the same files has the same digest.
     */
    static String contentSha256(Path dir) {
        List<Path> files = filesToArchive(dir, IgnoreRules.load(dir));
        MessageDigest digest = sha256();
        byte[] chunk = new byte[64 * 1024];
        for (Path relative : files) {
            Path file = dir.resolve(relative);
            try (InputStream in = Files.newInputStream(file)) {
                // the path and the size first: no two sets of files give the same bytes to digest
                digest.update((relative.toString().replace('\\', '/') + "\0" + Files.size(file) + "\0")
                        .getBytes(StandardCharsets.UTF_8));
                for (int n = in.read(chunk); n > 0; n = in.read(chunk)) {
                    digest.update(chunk, 0, n);
                }
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + CliException.reason(e));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void checkSize(ByteArrayOutputStream buffer, long maxBytes) {
        if (buffer.size() > maxBytes) {
            throw new CliException(ExitCodes.REJECTED, "archive larger than " + describeSize(maxBytes)
                    + "; list what to leave out in " + IGNORE_FILE);
        }
    }

    private static String describeSize(long bytes) {
        long mb = 1024 * 1024;
        return bytes % mb == 0 ? bytes / mb + " MB" : bytes + " bytes";
    }

    /** The regular files to archive, relative to {@code dir}, sorted; ignored directories are skipped whole. */
    private static List<Path> filesToArchive(Path dir, IgnoreRules rules) {
        Path root;
        try {
            root = dir.toRealPath();
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + dir + ": " + CliException.reason(e));
        }
        List<Path> files = new ArrayList<>();
        var visitor = new SimpleFileVisitor<Path>() {

            @Override
            public FileVisitResult preVisitDirectory(Path path, BasicFileAttributes attrs) {
                if (path.equals(dir)) {
                    return FileVisitResult.CONTINUE;
                }
                Path relative = dir.relativize(path);
                if (rules.ignored(relative, true)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                requireLinkInside(path, relative, root);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path path, BasicFileAttributes attrs) {
                Path relative = dir.relativize(path);
                if (rules.ignored(relative, false)) {
                    return FileVisitResult.CONTINUE;
                }
                requireLinkInside(path, relative, root);
                // sockets, pipes and devices have no content to deploy (and reading a pipe would block)
                if (attrs.isRegularFile()) {
                    files.add(relative);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path path, IOException e) {
                Path relative = dir.relativize(path);
                if (e instanceof FileSystemLoopException) {
                    throw new CliException(ExitCodes.USAGE, "symbolic link loop: " + path
                            + " leads back to a folder it is in; remove it or list it in " + IGNORE_FILE);
                }
                if (rules.ignored(relative, Files.isDirectory(path))) {
                    return FileVisitResult.CONTINUE;
                }
                throw new CliException(ExitCodes.USAGE, "cannot read " + path + ": " + CliException.reason(e));
            }
        };
        try {
            Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, visitor);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + dir + ": " + CliException.reason(e));
        }
        files.sort(null);
        return files;
    }

    /** A symbolic link is followed only when its target is inside the function directory. */
    private static void requireLinkInside(Path path, Path relative, Path root) {
        if (!Files.isSymbolicLink(path)) {
            return;
        }
        Path target;
        try {
            target = path.toRealPath();
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "symbolic link " + path + " points to nothing ("
                    + linkText(path) + "); remove it or list it in " + IGNORE_FILE);
        }
        if (!target.startsWith(root)) {
            throw new CliException(ExitCodes.USAGE, "symbolic link " + path + " points outside the function directory ("
                    + target + "); copy what it points to into the directory or list '" + relative + "' in "
                    + IGNORE_FILE);
        }
    }

    private static String linkText(Path link) {
        try {
            return String.valueOf(Files.readSymbolicLink(link));
        } catch (IOException | UnsupportedOperationException e) {
            return "unreadable target";
        }
    }

    /**
     * The ignore patterns, built-ins first, then the directory's {@code .cloudfuncignore}, with gitignore semantics:
     * one glob per line ({@code *}, {@code ?}, {@code [abc]}, {@code **}), {@code #} starts a comment; a pattern
     * without a slash matches a name at any depth; a leading or inner slash anchors it to the function directory; a
     * trailing slash matches directories only; {@code !pattern} re-includes what an earlier line left out, the last
     * matching line wins (a file inside a left-out directory cannot be re-included: that directory is never read).
     */
    record IgnoreRules(List<Rule> rules) {

        record Rule(List<PathMatcher> matchers, boolean directoryOnly, boolean negated) {

            boolean matches(Path relative, boolean directory) {
                return (directory || !directoryOnly) && matchers.stream().anyMatch(m -> m.matches(relative));
            }
        }

        static IgnoreRules load(Path dir) {
            List<Rule> rules = new ArrayList<>();
            for (String pattern : ALWAYS_IGNORED) {
                rules.add(parse(pattern, "built-in pattern"));
            }
            Path ignoreFile = dir.resolve(IGNORE_FILE);
            if (Files.isRegularFile(ignoreFile)) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(ignoreFile, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new CliException(ExitCodes.USAGE, "cannot read " + ignoreFile + ": " + CliException.reason(e));
                }
                for (int i = 0; i < lines.size(); i++) {
                    Rule rule = parse(lines.get(i), IGNORE_FILE + " line " + (i + 1));
                    if (rule != null) {
                        rules.add(rule);
                    }
                }
            }
            return new IgnoreRules(List.copyOf(rules));
        }

        /** One line as a rule; null for blanks and comments. {@code where} names the line in error messages. */
        static Rule parse(String line, String where) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                return null;
            }
            boolean negated = pattern.startsWith("!");
            if (negated) {
                pattern = pattern.substring(1);
            }
            boolean directoryOnly = pattern.endsWith("/");
            pattern = pattern.replaceAll("/+$", "");
            // as in .gitignore: a slash at the start or in the middle anchors the pattern to the root
            boolean anchored = pattern.contains("/");
            pattern = pattern.replaceAll("^/+", "");
            if (pattern.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, where + ": empty pattern '" + line.strip() + "'");
            }
            List<String> globs = new ArrayList<>();
            globs.add(pattern);
            if (!anchored) {
                globs.add("**/" + pattern);
            }
            // gitignore's "**/" also matches no directory at all, Java's glob needs at least one
            if (pattern.startsWith("**/")) {
                globs.add(pattern.substring(3));
            }
            if (pattern.contains("/**/")) {
                globs.add(pattern.replace("/**/", "/"));
            }
            var fs = FileSystems.getDefault();
            List<PathMatcher> matchers = new ArrayList<>();
            for (String glob : globs) {
                try {
                    matchers.add(fs.getPathMatcher("glob:" + glob));
                } catch (PatternSyntaxException e) {
                    throw new CliException(ExitCodes.USAGE, where + ": invalid pattern '" + line.strip() + "' ("
                            + e.getDescription() + ")");
                }
            }
            return new Rule(List.copyOf(matchers), directoryOnly, negated);
        }

        /** Whether a path (relative to the function directory) is left out; the last matching rule decides. */
        boolean ignored(Path relative, boolean directory) {
            boolean ignored = false;
            for (Rule rule : rules) {
                if (rule.matches(relative, directory)) {
                    ignored = !rule.negated();
                }
            }
            return ignored;
        }
    }
}

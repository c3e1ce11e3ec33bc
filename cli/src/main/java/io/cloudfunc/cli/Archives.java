package io.cloudfunc.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Zips a function directory. Skips what {@code .cloudfuncignore} lists (one glob per line, {@code #} comments,
 * gitignore-like: a pattern without a slash matches a name at any depth, a trailing slash a directory) and always
 * skips {@code .git/}, {@code __pycache__/} and {@code .cloudfuncignore} itself. Entries are sorted, so the same
 * directory always gives the same archive.
 */
final class Archives {

    static final String IGNORE_FILE = ".cloudfuncignore";
    private static final List<String> ALWAYS_IGNORED = List.of(".git/", "__pycache__/", "*.pyc", IGNORE_FILE);

    private Archives() {
    }

    static byte[] zip(Path dir) {
        var rules = IgnoreRules.load(dir);
        var buffer = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(buffer); Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = walk.filter(Files::isRegularFile)
                    .filter(file -> !rules.ignored(dir.relativize(file)))
                    .sorted()
                    .toList();
            for (Path file : files) {
                String entryName = dir.relativize(file).toString().replace('\\', '/');
                var entry = new ZipEntry(entryName);
                entry.setTime(Files.getLastModifiedTime(file).toMillis());
                zip.putNextEntry(entry);
                Files.copy(file, zip);
                zip.closeEntry();
            }
            if (files.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "nothing to deploy: " + dir + " has no files (after "
                        + IGNORE_FILE + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        return buffer.toByteArray();
    }

    /** The patterns of a directory's ignore file plus the ones always applied. */
    record IgnoreRules(List<PathMatcher> files, List<PathMatcher> dirs) {

        static IgnoreRules load(Path dir) {
            List<String> patterns = new ArrayList<>(ALWAYS_IGNORED);
            Path ignoreFile = dir.resolve(IGNORE_FILE);
            if (Files.isRegularFile(ignoreFile)) {
                try {
                    patterns.addAll(Files.readAllLines(ignoreFile));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            List<PathMatcher> files = new ArrayList<>();
            List<PathMatcher> dirs = new ArrayList<>();
            var fs = FileSystems.getDefault();
            for (String raw : patterns) {
                String pattern = raw.strip();
                if (pattern.isEmpty() || pattern.startsWith("#")) {
                    continue;
                }
                boolean dirOnly = pattern.endsWith("/");
                pattern = pattern.replaceAll("/+$", "").replaceAll("^/", "");
                // no slash inside: the name matches at any depth, as in .gitignore
                String glob = pattern.contains("/") ? pattern : "{" + pattern + ",**/" + pattern + "}";
                PathMatcher matcher = fs.getPathMatcher("glob:" + glob);
                dirs.add(matcher);
                if (!dirOnly) {
                    files.add(matcher);
                }
            }
            return new IgnoreRules(files, dirs);
        }

        /** Whether a file (relative to the function directory) is left out of the archive. */
        boolean ignored(Path relative) {
            if (files.stream().anyMatch(m -> m.matches(relative))) {
                return true;
            }
            for (Path parent = relative.getParent(); parent != null; parent = parent.getParent()) {
                Path p = parent;
                if (dirs.stream().anyMatch(m -> m.matches(p))) {
                    return true;
                }
            }
            return false;
        }
    }
}

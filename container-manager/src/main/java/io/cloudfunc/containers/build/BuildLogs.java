package io.cloudfunc.containers.build;

import io.cloudfunc.contracts.function.BuildLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The logs of this manager's builds, by the id the deploy's caller chose: read from the build's log file while it
 * runs (the tool writes it in the build's directory), kept in memory for {@link #KEPT} after it ended, so that a
 * client polling {@code GET /builds/{id}/log} sees every line, the last ones included.
 */
@Component
class BuildLogs {

    static final Duration KEPT = Duration.ofMinutes(10);
    private static final int MAX_LINES_PER_PAGE = 1_000;
    private static final Pattern ID = Pattern.compile("^[0-9a-fA-F-]{8,64}$");

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** A build's log: its file while it runs, its lines once it ended. */
    private record Entry(Path file, List<String> lines, long endedAt) {
    }

    static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    void started(String id, Path file) {
        long now = System.nanoTime();
        entries.values().removeIf(e -> e.lines() != null && now - e.endedAt() > KEPT.toNanos());
        entries.put(id, new Entry(file, null, 0));
    }

    /** The build ended: its lines, with the platform's last word on it, are kept for a while. */
    void ended(String id, List<String> lines) {
        entries.put(id, new Entry(null, List.copyOf(lines), System.nanoTime()));
    }

    /** Lines from {@code from} on; empty when this manager has no build of that id. */
    Optional<BuildLog> page(String id, int from) {
        Entry entry = entries.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        List<String> lines = entry.lines() != null ? entry.lines() : read(entry.file());
        int start = Math.clamp(from, 0, lines.size());
        int end = Math.min(lines.size(), start + MAX_LINES_PER_PAGE);
        return Optional.of(new BuildLog(id, lines.subList(start, end), end,
                entry.lines() != null && end == lines.size()));
    }

    /** The complete lines of a log file being written (the last one, unfinished, waits for its newline). */
    static List<String> read(Path file) {
        try {
            if (file == null || !Files.exists(file)) {
                return List.of();
            }
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            int lastNewline = text.lastIndexOf('\n');
            return lastNewline < 0 ? List.of() : text.substring(0, lastNewline).lines().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }
}

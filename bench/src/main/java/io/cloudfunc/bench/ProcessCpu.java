package io.cloudfunc.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CPU time (user + system, from /proc/&lt;pid&gt;/stat) of named groups of processes: a group is either fixed process
 * ids (the four services, the RabbitMQ server) or every process whose comm is a given name (all PostgreSQL
 * processes, whose backends come and go). {@link #snapshot()} at the start and the end of a window;
 * {@link #delta} is each group's CPU ticks spent in between.
 */
final class ProcessCpu {

    /** One group: fixed pids, or (when {@code comm} is not null) every process with that comm at snapshot time. */
    record Group(String name, Set<Long> pids, String comm) {

        static Group pids(String name, Set<Long> pids) {
            return new Group(name, Set.copyOf(pids), null);
        }

        static Group comm(String name, String comm) {
            return new Group(name, Set.of(), comm);
        }
    }

    /**
     * The figures of one /proc/&lt;pid&gt;/stat line that matter here.
     *
     * @param startTime the process's start (clock ticks after boot): tells a reused pid from the process it replaced
     */
    record Stat(long pid, String comm, long utime, long stime, long startTime) {

        long ticks() {
            return utime + stime;
        }

        /** Identity of the process across snapshots: pid and start time. */
        String identity() {
            return pid + "@" + startTime;
        }
    }

    /**
     * Parses a stat line. The comm (field 2, in parentheses) may itself contain spaces and parentheses, so the
     * fields are counted from the last ')': state is field 3, utime 14, stime 15, starttime 22 (proc(5)).
     */
    static Stat parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
        }
        long pid = Long.parseLong(line.substring(0, open).strip());
        String comm = line.substring(open + 1, close);
        String[] rest = line.substring(close + 1).strip().split("\\s+");
        if (rest.length < 20) {
            throw new IllegalArgumentException("too few fields in /proc/<pid>/stat line: " + line);
        }
        // rest[0] is field 3 (state), so field n is rest[n - 3]
        return new Stat(pid, comm, Long.parseLong(rest[11]), Long.parseLong(rest[12]), Long.parseLong(rest[19]));
    }

    /** Milliseconds of CPU per call: {@code ticks} clock ticks ({@code ticksPerSecond} a second) over {@code calls}. */
    static double msPerCall(long ticks, long ticksPerSecond, long calls) {
        if (calls <= 0 || ticksPerSecond <= 0) {
            return Double.NaN;
        }
        return ticks * 1_000.0 / ticksPerSecond / calls;
    }

    /** Group name to (process identity to CPU ticks) at one instant. */
    record Snapshot(Map<String, Map<String, Long>> groups) {
    }

    private final Path proc;
    private final List<Group> groups;

    ProcessCpu(Path proc, List<Group> groups) {
        this.proc = proc;
        this.groups = List.copyOf(groups);
    }

    List<Group> groups() {
        return groups;
    }

    Snapshot snapshot() {
        Map<String, Stat> byComm = null;
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (Group group : groups) {
            Map<String, Long> ticks = new HashMap<>();
            if (group.comm() == null) {
                for (long pid : group.pids()) {
                    Stat stat = read(proc.resolve(Long.toString(pid)).resolve("stat"));
                    if (stat != null) {
                        ticks.put(stat.identity(), stat.ticks());
                    }
                }
            } else {
                if (byComm == null) {
                    byComm = all();
                }
                for (Stat stat : byComm.values()) {
                    if (stat.comm().equals(group.comm())) {
                        ticks.put(stat.identity(), stat.ticks());
                    }
                }
            }
            out.put(group.name(), ticks);
        }
        return new Snapshot(out);
    }

    /**
     * CPU ticks each group spent between two snapshots: for every process alive at the end, its ticks at the end
     * less its ticks at the start (0 when it started in between). A process that exited in between is lost (its
     * CPU after the start snapshot cannot be read any more).
     */
    static Map<String, Long> delta(Snapshot start, Snapshot end) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (var group : end.groups().entrySet()) {
            Map<String, Long> before = start.groups().getOrDefault(group.getKey(), Map.of());
            long sum = 0;
            for (var process : group.getValue().entrySet()) {
                sum += Math.max(0, process.getValue() - before.getOrDefault(process.getKey(), 0L));
            }
            out.put(group.getKey(), sum);
        }
        return out;
    }

    private Map<String, Stat> all() {
        Map<String, Stat> stats = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("[0-9]+"))) {
            for (Path dir : dirs) {
                Stat stat = read(dir.resolve("stat"));
                if (stat != null) {
                    stats.put(stat.identity(), stat);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + proc + ": " + e.getMessage(), e);
        }
        return stats;
    }

    private static Stat read(Path stat) {
        try {
            return parse(Files.readString(stat).strip());
        } catch (IOException | RuntimeException gone) {
            return null; // the process has exited (or is not readable)
        }
    }
}

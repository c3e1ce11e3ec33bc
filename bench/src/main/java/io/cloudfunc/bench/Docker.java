package io.cloudfunc.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The docker command-line client, as the baselines use it (they measure exactly what a platform built on
 * {@code docker run} / {@code docker exec} pays per call) and for counting the platform's containers.
 */
final class Docker {

    record Result(int exit, String output) {
    }

    private Docker() {
    }

    static Result run(Duration timeout, byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException("docker " + String.join(" ", args) + " did not finish within " + timeout);
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8).strip());
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(Duration.ofSeconds(60), null, args);
    }

    /** Ids of the containers carrying every given label ({@code key=value}), running or not. */
    static List<String> containers(String... labels) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("ps", "-aq", "--no-trunc"));
        for (String label : labels) {
            args.add("--filter");
            args.add("label=" + label);
        }
        Result result = run(args.toArray(String[]::new));
        if (result.exit() != 0) {
            throw new IOException("docker ps failed: " + result.output());
        }
        return result.output().isBlank() ? List.of() : List.of(result.output().split("\\s+"));
    }

    /** Memory in use by each container, in MiB, from one {@code docker stats} sample. */
    static List<Double> memoryMiB(List<String> ids) throws IOException, InterruptedException {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> args = new ArrayList<>(List.of("stats", "--no-stream", "--format", "{{.MemUsage}}"));
        args.addAll(ids);
        Result result = run(Duration.ofSeconds(120), null, args.toArray(String[]::new));
        List<Double> values = new ArrayList<>();
        for (String line : result.output().split("\n")) {
            Double mib = parseMiB(line.split("/")[0].strip());
            if (mib != null) {
                values.add(mib);
            }
        }
        return values;
    }

    /** "12.5MiB" -> 12.5, "1.2GiB" -> 1228.8, "800KiB" -> 0.78; null for anything else. */
    static Double parseMiB(String text) {
        var m = java.util.regex.Pattern.compile("([0-9.]+)\\s*([KMG]i?B|B)").matcher(text);
        if (!m.matches()) {
            return null;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2).charAt(0)) {
            case 'K' -> value / 1024;
            case 'M' -> value;
            case 'G' -> value * 1024;
            default -> value / (1024 * 1024);
        };
    }
}

package io.cloudfunc.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/** Parses the human quantities the CLI accepts: durations (500ms, 30s, 2m, 1h) and sizes (128m, 1g, 512k). */
final class Quantities {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kmg])?i?b?");

    private Quantities() {
    }

    static Duration duration(String text) {
        var m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CliException(ExitCodes.USAGE, "invalid duration '" + text + "' (use e.g. 500ms, 30s, 2m)");
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        try {
            long n = Long.parseLong(m.group(1));
            Duration duration = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
            duration.toMillis(); // callers send milliseconds: make sure they fit
            return duration;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new CliException(ExitCodes.USAGE, "duration too large: " + text);
        }
    }

    /** A memory size in MiB; a bare number means MiB. */
    static int megabytes(String text) {
        var m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CliException(ExitCodes.USAGE, "invalid memory size '" + text + "' (use e.g. 128m, 1g)");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new CliException(ExitCodes.USAGE, "memory size too large: " + text);
        }
        String unit = m.group(2) == null ? "m" : m.group(2);
        long mb = switch (unit) {
            case "k" -> Math.max(1, n / 1024);
            case "g" -> n > Integer.MAX_VALUE ? Long.MAX_VALUE : n * 1024;
            default -> n;
        };
        if (mb > Integer.MAX_VALUE) {
            throw new CliException(ExitCodes.USAGE, "memory size too large: " + text);
        }
        return (int) mb;
    }

    /** 1536 -> "1.5 KB", 270000000 -> "257.5 MB": for progress lines. */
    static String describeBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}

package io.cloudfunc.registry.stats;

import io.cloudfunc.support.problem.Problems;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A window such as {@code 15m}, {@code 1h} or {@code 7d}: from 1 minute to 30 days; 1 hour when not given. */
record StatsWindow(String text, Duration duration) {

    static final Duration MIN = Duration.ofMinutes(1);
    static final Duration MAX = Duration.ofDays(30);
    private static final Pattern FORMAT = Pattern.compile("^([1-9][0-9]{0,6})([smhd])$");

    static StatsWindow parse(String text) {
        if (text == null || text.isBlank()) {
            return new StatsWindow("1h", Duration.ofHours(1));
        }
        Matcher matcher = FORMAT.matcher(text);
        if (!matcher.matches()) {
            throw Problems.invalidRequest("invalid window '" + text + "': a number and a unit (s, m, h or d), "
                    + "e.g. 15m, 1h or 7d");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration duration = switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        if (duration.compareTo(MIN) < 0 || duration.compareTo(MAX) > 0) {
            throw Problems.invalidRequest("window must be between 1m and 30d, got " + text);
        }
        return new StatsWindow(text, duration);
    }
}

package io.cloudfunc.registry.series;

import io.cloudfunc.support.problem.Problems;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The window and step of a series, checked and aligned: {@code from} rounded down and {@code to} rounded up to the
 * step (UTC, steps counted from the epoch, so a day starts at midnight UTC), one point per step in between.
 *
 * <p>Defaults: {@code to} now, {@code from} an hour before {@code to}, and the finest step that gives at most
 * {@value #DEFAULT_MAX_POINTS} points. A window longer than 30 days, {@code from} not before {@code to}, an unknown
 * step, more than {@value #MAX_POINTS} points, or a step finer than an hour reaching back beyond the minutes kept
 * are refused (400).
 */
record SeriesRequest(Instant from, Instant to, Step step) {

    static final Duration MAX_SPAN = Duration.ofDays(30);
    static final int DEFAULT_MAX_POINTS = 360;
    static final int MAX_POINTS = 1440;
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** The steps a series may have. */
    record Step(String text, Duration duration) {

        static final List<Step> ALL = List.of(new Step("1m", Duration.ofMinutes(1)),
                new Step("5m", Duration.ofMinutes(5)), new Step("15m", Duration.ofMinutes(15)),
                new Step("1h", Duration.ofHours(1)), new Step("1d", Duration.ofDays(1)));

        long seconds() {
            return duration.toSeconds();
        }

        Instant floor(Instant instant) {
            return Instant.ofEpochSecond(Math.floorDiv(instant.getEpochSecond(), seconds()) * seconds());
        }

        Instant ceil(Instant instant) {
            Instant floor = floor(instant);
            return floor.equals(instant) ? floor : floor.plusSeconds(seconds());
        }

        static Step parse(String text) {
            return ALL.stream().filter(step -> step.text.equals(text)).findFirst()
                    .orElseThrow(() -> Problems.invalidRequest("unknown step '" + text + "': one of 1m, 5m, 15m, 1h "
                            + "or 1d"));
        }
    }

    int points() {
        return (int) (Duration.between(from, to).toSeconds() / step.seconds());
    }

    /**
     * @param minutesKept how far back steps finer than an hour can go (older minutes are rolled up into hours)
     */
    static SeriesRequest parse(String fromText, String toText, String stepText, Instant now, Duration minutesKept) {
        Instant to = blank(toText) ? now : instant("to", toText);
        Instant from = blank(fromText) ? to.minus(Duration.ofHours(1)) : instant("from", fromText);
        if (!from.isBefore(to)) {
            throw Problems.invalidRequest("from (" + from + ") must be before to (" + to + ")");
        }
        if (Duration.between(from, to).compareTo(MAX_SPAN) > 0) {
            throw Problems.invalidRequest("the window from " + from + " to " + to + " is longer than 30 days");
        }
        Instant minutesSince = now.minus(minutesKept);
        if (!blank(stepText)) {
            SeriesRequest request = aligned(from, to, Step.parse(stepText));
            if (request.points() > MAX_POINTS) {
                throw Problems.invalidRequest("step " + stepText + " gives " + request.points() + " points from "
                        + from + " to " + to + ", more than " + MAX_POINTS + ": choose a coarser step");
            }
            if (request.step.duration.compareTo(Duration.ofHours(1)) < 0 && request.from.isBefore(minutesSince)) {
                throw Problems.invalidRequest("steps finer than 1h reach back " + text(minutesKept) + " (older "
                        + "minutes are kept as hours); from " + from + " is older: use step 1h or 1d");
            }
            return request;
        }
        for (Step step : Step.ALL) {
            SeriesRequest request = aligned(from, to, step);
            boolean kept = step.duration.compareTo(Duration.ofHours(1)) >= 0 || !request.from.isBefore(minutesSince);
            if (kept && request.points() <= DEFAULT_MAX_POINTS) {
                return request;
            }
        }
        return aligned(from, to, Step.ALL.getLast());
    }

    private static SeriesRequest aligned(Instant from, Instant to, Step step) {
        return new SeriesRequest(step.floor(from), step.ceil(to), step);
    }

    /** An ISO-8601 instant; a 400 problem naming the parameter otherwise. */
    static Instant instant(String name, String text) {
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw Problems.invalidRequest("invalid " + name + " '" + text + "': an ISO-8601 instant such as "
                    + "2026-05-01T10:00:00Z");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw Problems.invalidRequest(name + " must lie between " + EARLIEST + " and " + LATEST + ", got " + text);
        }
        return instant;
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static String text(Duration duration) {
        return duration.toSeconds() % 3600 == 0 ? duration.toHours() + "h" : duration.toMinutes() + "m";
    }
}

package io.cloudfunc.registry.schedule;

import io.cloudfunc.support.problem.Problems;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.scheduling.support.CronExpression;

/**
 * When a schedule ticks: a five-field cron expression read in a time zone ({@code minute hour day-of-month month
 * day-of-week}, or one of the macros {@code @hourly}, {@code @daily}, ...), or {@code @every <duration>} (ticks at the
 * multiples of the interval since the Unix epoch, so {@code @every 1h} ticks on the hour, in any zone).
 */
sealed interface ScheduleExpression {

    /** The shortest interval of {@code @every}. */
    Duration MIN_INTERVAL = Duration.ofSeconds(1);

    /** A bound on the ticks walked over when a schedule has missed many (its latest due one is found in between). */
    int MAX_WALK = 200_000;

    /** The first tick strictly after {@code after}, or null when there is none. */
    Instant next(Instant after);

    /**
     * The latest tick at or before {@code now}, starting from {@code due}, a tick at or before {@code now}: the one
     * tick a schedule that missed several runs (misfire policy: the latest missed tick once, the older ones skipped).
     */
    default Instant latestDue(Instant due, Instant now) {
        Instant tick = due;
        for (int i = 0; i < MAX_WALK; i++) {
            Instant next = next(tick);
            if (next == null || next.isAfter(now)) {
                return tick;
            }
            tick = next;
        }
        return tick;
    }

    /**
     * Parses {@code expression} in {@code timezone}.
     *
     * @throws io.cloudfunc.support.problem.ProblemException 400 when either is invalid, or the cron never fires
     */
    static ScheduleExpression parse(String expression, String timezone) {
        ZoneId zone = zone(timezone);
        if (expression == null || expression.isBlank()) {
            throw Problems.invalidRequest("a schedule needs a 'cron': five fields (minute hour day-of-month month "
                    + "day-of-week, e.g. '*/5 * * * *') or '@every <duration>' (e.g. '@every 30s')");
        }
        String trimmed = expression.trim();
        ScheduleExpression parsed;
        if (trimmed.toLowerCase(Locale.ROOT).startsWith("@every")) {
            parsed = new Every(interval(trimmed.substring("@every".length()).trim(), expression));
        } else {
            parsed = new Cron(cron(trimmed, expression), zone);
        }
        if (parsed.next(Instant.now()) == null) {
            throw invalidCron(expression, "it never fires");
        }
        return parsed;
    }

    private static ZoneId zone(String timezone) {
        if (timezone == null) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw Problems.invalidRequest("invalid timezone '" + timezone + "': a time zone id such as 'UTC' or "
                    + "'Europe/Paris'").with("timezone", timezone);
        }
    }

    private static CronExpression cron(String trimmed, String given) {
        String spring;
        if (trimmed.startsWith("@")) {
            spring = trimmed; // Spring's macros: @yearly, @monthly, @weekly, @daily, @midnight, @hourly
        } else {
            String[] fields = trimmed.split("\\s+");
            if (fields.length != 5) {
                throw invalidCron(given, "a cron expression has five fields (minute hour day-of-month month "
                        + "day-of-week), this one has " + fields.length);
            }
            spring = "0 " + trimmed; // Spring's expressions start with the seconds
        }
        try {
            return CronExpression.parse(spring);
        } catch (IllegalArgumentException e) {
            throw invalidCron(given, "not a valid cron expression");
        }
    }

    Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private static Duration interval(String text, String given) {
        Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long amount = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
            end = m.end();
        }
        if (text.isEmpty() || end != text.length()) {
            throw invalidCron(given, "'@every' takes a duration such as 30s, 5m, 1h30m or 1d");
        }
        if (total.compareTo(MIN_INTERVAL) < 0) {
            throw invalidCron(given, "the shortest interval is 1s");
        }
        if (total.compareTo(Duration.ofDays(366)) > 0) {
            throw invalidCron(given, "the longest interval is 366d");
        }
        return total;
    }

    private static io.cloudfunc.support.problem.ProblemException invalidCron(String cron, String why) {
        return Problems.invalidRequest("invalid cron '" + cron + "': " + why).with("cron", cron);
    }

    /** A cron expression (Spring's, with a seconds field of 0) in a time zone. */
    record Cron(CronExpression cron, ZoneId zone) implements ScheduleExpression {

        @Override
        public Instant next(Instant after) {
            ZonedDateTime next = cron.next(ZonedDateTime.ofInstant(after, zone));
            return next == null ? null : next.toInstant();
        }
    }

    /** Every {@code interval}, at its multiples since the epoch. */
    record Every(Duration interval) implements ScheduleExpression {

        @Override
        public Instant next(Instant after) {
            long step = interval.toMillis();
            return Instant.ofEpochMilli(Math.floorDiv(after.toEpochMilli(), step) * step + step);
        }

        @Override
        public Instant latestDue(Instant due, Instant now) {
            long step = interval.toMillis();
            Instant latest = Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), step) * step);
            return latest.isBefore(due) ? due : latest;
        }
    }
}

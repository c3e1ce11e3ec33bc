package io.cloudfunc.registry.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudfunc.support.problem.ProblemException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SeriesRequestTests {

    private static final Instant NOW = Instant.parse("2026-12-07T17:42:30.123Z");
    private static final Duration MINUTES_KEPT = Duration.ofHours(48);

    @Test
    void defaultsToTheLastHourInMinutesAlignedToTheStep() {
        SeriesRequest request = SeriesRequest.parse(null, null, null, NOW, MINUTES_KEPT);

        assertThat(request.step().text()).isEqualTo("1m");
        assertThat(request.to()).isEqualTo(Instant.parse("2026-12-07T17:43:00Z"));
        assertThat(request.from()).isEqualTo(Instant.parse("2026-12-07T16:42:00Z"));
        assertThat(request.points()).isEqualTo(61);
    }

    @Test
    void choosesTheFinestStepWithAtMost360Points() {
        assertThat(step("2026-12-07T11:00:00Z", "2026-12-07T17:00:00Z")).isEqualTo("1m"); // 360 points
        assertThat(step("2026-12-06T17:00:00Z", "2026-12-07T17:00:00Z")).isEqualTo("5m");
        assertThat(step("2026-12-05T18:00:00Z", "2026-12-07T17:00:00Z")).isEqualTo("15m");
        assertThat(step("2026-11-30T17:00:00Z", "2026-12-07T17:00:00Z")).isEqualTo("1h");
        assertThat(step("2026-11-07T17:00:00Z", "2026-12-07T17:00:00Z")).isEqualTo("1d");
    }

    @Test
    void choosesHoursForAWindowThatStartsBeforeTheMinutesKept() {
        // 6 h, but three days ago: the minutes have been rolled up into hours
        assertThat(step("2026-12-04T11:00:00Z", "2026-12-04T17:00:00Z")).isEqualTo("1h");
    }

    @Test
    void alignsDaysToMidnightUtc() {
        SeriesRequest request = SeriesRequest.parse("2026-12-01T10:00:00+02:00", "2026-12-03T01:00:00Z", "1d", NOW,
                MINUTES_KEPT);

        assertThat(request.from()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(request.to()).isEqualTo(Instant.parse("2026-12-04T00:00:00Z"));
        assertThat(request.points()).isEqualTo(3);
    }

    @Test
    void refusesBadWindowsAndSteps() {
        assertRefused("2026-12-07T17:00:00Z", "2026-12-07T16:00:00Z", "1m", "must be before");
        assertRefused("2026-12-07T17:00:00Z", "2026-12-07T17:00:00Z", null, "must be before");
        assertRefused("2026-10-01T00:00:00Z", "2026-12-07T00:00:00Z", "1d", "longer than 30 days");
        assertRefused("2026-12-07T16:00:00Z", "2026-12-07T17:00:00Z", "2m", "unknown step '2m'");
        assertRefused("2026-12-06T00:00:00Z", "2026-12-07T17:00:00Z", "1m", "more than 1440");
        assertRefused("2026-12-01T00:00:00Z", "2026-12-01T06:00:00Z", "5m", "steps finer than 1h reach back 48h");
        assertRefused("yesterday", null, null, "invalid from 'yesterday'");
        assertRefused(null, "2026-13-01T00:00:00Z", null, "invalid to");
        assertRefused("-1000000000-01-01T00:00:00Z", "-1000000000-01-01T01:00:00Z", null, "must lie between");
        assertRefused(null, "+1000000000-01-01T00:00:00Z", null, "to must lie between");
    }

    private static String step(String from, String to) {
        return SeriesRequest.parse(from, to, null, NOW, MINUTES_KEPT).step().text();
    }

    private static void assertRefused(String from, String to, String step, String detail) {
        assertThatThrownBy(() -> SeriesRequest.parse(from, to, step, NOW, MINUTES_KEPT))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().getStatus()).isEqualTo(400);
                    assertThat(e.problem().getDetail()).contains(detail);
                });
    }
}

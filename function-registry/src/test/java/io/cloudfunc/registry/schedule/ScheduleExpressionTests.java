package io.cloudfunc.registry.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudfunc.support.problem.ProblemException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleExpressionTests {

    @Test
    void readsFiveFieldCronInItsTimeZone() {
        ScheduleExpression nine = ScheduleExpression.parse("0 9 * * *", "Europe/Paris");
        // winter: Paris is UTC+1; summer: UTC+2
        assertThat(nine.next(Instant.parse("2026-01-10T12:00:00Z"))).isEqualTo("2026-01-11T08:00:00Z");
        assertThat(nine.next(Instant.parse("2026-07-10T12:00:00Z"))).isEqualTo("2026-07-11T07:00:00Z");
        assertThat(ScheduleExpression.parse("*/5 * * * *", null).next(Instant.parse("2026-01-10T12:03:10Z")))
                .isEqualTo("2026-01-10T12:05:00Z");
        assertThat(ScheduleExpression.parse("@hourly", "UTC").next(Instant.parse("2026-01-10T12:03:10Z")))
                .isEqualTo("2026-01-10T13:00:00Z");
    }

    @Test
    void everyTicksOnMultiplesOfItsIntervalSinceTheEpoch() {
        ScheduleExpression every = ScheduleExpression.parse("@every 1h30m", "Asia/Tokyo");
        assertThat(every.next(Instant.parse("2026-01-10T00:00:00Z"))).isEqualTo("2026-01-10T01:30:00Z");
        assertThat(every.next(Instant.parse("2026-01-10T01:30:00Z"))).isEqualTo("2026-01-10T03:00:00Z");
        assertThat(ScheduleExpression.parse("@every 2s", null).next(Instant.parse("2026-01-10T00:00:01.5Z")))
                .isEqualTo("2026-01-10T00:00:02Z");
    }

    @Test
    void theLatestDueTickIsTheLastOneAtOrBeforeNow() {
        Instant now = Instant.parse("2026-01-10T12:07:30Z");
        assertThat(ScheduleExpression.parse("*/5 * * * *", "UTC").latestDue(Instant.parse("2026-01-10T11:00:00Z"), now))
                .isEqualTo("2026-01-10T12:05:00Z");
        assertThat(ScheduleExpression.parse("@every 10s", "UTC").latestDue(Instant.parse("2026-01-10T11:00:00Z"), now))
                .isEqualTo("2026-01-10T12:07:30Z");
        Instant due = Instant.parse("2026-01-10T12:07:20Z");
        assertThat(ScheduleExpression.parse("@every 10s", "UTC").latestDue(due, Instant.parse("2026-01-10T12:07:25Z")))
                .isEqualTo(due);
    }

    @Test
    void refusesWhatIsNotASchedule() {
        for (String cron : new String[] {"* * * *", "* * * * * *", "61 * * * *", "0 0 30 2 *", "@every", "@every 0s",
                "@every 999ms", "@every 5 minutes", "@every 367d", "@sometimes", " "}) {
            assertThatThrownBy(() -> ScheduleExpression.parse(cron, "UTC")).as(cron)
                    .isInstanceOf(ProblemException.class);
        }
        assertThatThrownBy(() -> ScheduleExpression.parse("@hourly", "Mars/Base")).isInstanceOf(ProblemException.class)
                .hasMessageContaining("invalid timezone");
    }
}

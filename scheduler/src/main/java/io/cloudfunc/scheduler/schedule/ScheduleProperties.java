package io.cloudfunc.scheduler.schedule;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code scheduler.schedules.*}: how this scheduler runs schedules' ticks.
 *
 * @param enabled        whether this instance claims and runs ticks at all
 * @param claimLimit     ticks claimed per request to the registry
 * @param maxSleep       the longest this instance sleeps between two claims when it knows of no earlier tick (bounds
 *                       the delay after a lost {@code ScheduleChanged} event)
 * @param retryPause     the pause after a claim failed (the registry unreachable) or a publish the broker surely did
 *                       not take
 * @param publishRetries how often a tick's publish that surely did not reach the broker is tried again before the
 *                       tick is given up (a publish whose confirm did not come is never tried again: it may have
 *                       arrived, and a second one would run the tick twice)
 */
@Validated
@ConfigurationProperties("scheduler.schedules")
public record ScheduleProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("100") @Positive int claimLimit,
        @DefaultValue("30s") @NotNull Duration maxSleep,
        @DefaultValue("1s") @NotNull Duration retryPause,
        @DefaultValue("10") @PositiveOrZero int publishRetries) {
}

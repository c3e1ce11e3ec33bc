package io.cloudfunc.contracts.schedule;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A schedule as the API shows it.
 *
 * @param function         the function it runs
 * @param name             its name within the function
 * @param cron             the expression as given
 * @param timezone         the time zone the cron fields are read in
 * @param data             the event data of every tick
 * @param paused           paused schedules run no tick
 * @param nextRuns         the next three ticks (the first may be a little in the past while no scheduler has claimed
 *                         it yet); empty while paused
 * @param lastRunAt        the tick last run, or null
 * @param lastInvocationId that tick's invocation, or null
 * @param createdAt        when it was created
 */
public record ScheduleView(String function, String name, String cron, String timezone, JsonNode data,
                           boolean paused, List<Instant> nextRuns, Instant lastRunAt, UUID lastInvocationId,
                           Instant createdAt) {

    public ScheduleView {
        nextRuns = nextRuns == null ? List.of() : List.copyOf(nextRuns);
    }
}

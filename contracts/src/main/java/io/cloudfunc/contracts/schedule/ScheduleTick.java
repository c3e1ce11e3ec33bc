package io.cloudfunc.contracts.schedule;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * One tick of a schedule, claimed by a scheduler ({@code POST /internal/schedule-ticks/claims}): the registry gave it
 * to this caller only, so the caller publishes its invocation once.
 *
 * @param functionName the function to run
 * @param version      its latest version when the tick was claimed
 * @param codeSha256   that version's code digest
 * @param schedule     the schedule's name
 * @param tick         the instant the tick stands for (a cron or interval boundary)
 * @param invocationId the invocation's id: a time-ordered id made from the schedule and the tick, the same for the
 *                     same tick
 * @param data         the schedule's data
 */
public record ScheduleTick(String functionName, int version, String codeSha256, String schedule, Instant tick,
                           UUID invocationId, JsonNode data) {
}

package io.cloudfunc.contracts.schedule;

import java.time.Instant;
import java.util.List;

/**
 * The answer to a claim: the ticks now the caller's, and when the next one falls due.
 *
 * @param ticks     claimed ticks, to publish
 * @param nextDueAt the earliest next tick of any running schedule after this claim, or null when there is none
 */
public record ScheduleTicks(List<ScheduleTick> ticks, Instant nextDueAt) {

    public ScheduleTicks {
        ticks = ticks == null ? List.of() : List.copyOf(ticks);
    }
}

package io.cloudfunc.containers.pool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/** The pool's decisions, as pure functions of snapshots: no Docker, no clock, no locks. */
public final class PoolDecisions {

    private PoolDecisions() {
    }

    /**
     * Which container serves a call of {@code function}. The most recently used idle container of that version is
     * preferred (so that the others stay idle and expire: the pool shrinks when load drops). Without one, a new
     * container is started if there is room; if not, the least recently used idle container of another function
     * (or a retired one) is evicted to make room; if every container is busy, the call waits.
     */
    public static Placement place(FunctionKey function, Collection<ContainerSnapshot> containers, int maxContainers) {
        ContainerSnapshot warm = null;
        ContainerSnapshot leastRecentlyUsed = null;
        int live = 0;
        for (ContainerSnapshot container : containers) {
            if (container.state() instanceof ContainerState.Removing) {
                continue;
            }
            live++;
            if (!(container.state() instanceof ContainerState.Idle idle)) {
                continue;
            }
            if (!container.retired() && container.function().equals(function)) {
                if (warm == null || idle.since().isAfter(idleSince(warm))) {
                    warm = container;
                }
            } else if (leastRecentlyUsed == null || idle.since().isBefore(idleSince(leastRecentlyUsed))) {
                leastRecentlyUsed = container;
            }
        }
        if (warm != null) {
            return new Placement.Reuse(warm.key());
        }
        if (live < maxContainers) {
            return new Placement.StartNew(List.of());
        }
        if (leastRecentlyUsed != null) {
            return new Placement.StartNew(List.of(leastRecentlyUsed.key()));
        }
        return new Placement.Wait();
    }

    /** Idle containers past their idle TTL at {@code now}, and idle retired ones. */
    public static List<String> expired(Collection<ContainerSnapshot> containers, Instant now) {
        List<String> expired = new ArrayList<>();
        for (ContainerSnapshot container : containers) {
            if (container.state() instanceof ContainerState.Idle(Instant since)
                    && (container.retired() || !since.plus(container.idleTtl()).isAfter(now))) {
                expired.add(container.key());
            }
        }
        return expired;
    }

    /** Containers to retire when a function is deleted: all of its versions. */
    public static Predicate<FunctionKey> retiredByDeletion(String functionName) {
        return key -> key.name().equals(functionName);
    }

    /** Containers to retire when {@code latestVersion} of a function is deployed: its older versions. */
    public static Predicate<FunctionKey> retiredByDeploy(String functionName, int latestVersion) {
        return key -> key.name().equals(functionName) && key.version() < latestVersion;
    }

    private static Instant idleSince(ContainerSnapshot container) {
        return ((ContainerState.Idle) container.state()).since();
    }
}

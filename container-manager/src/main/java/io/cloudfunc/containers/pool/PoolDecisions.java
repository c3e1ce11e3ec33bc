package io.cloudfunc.containers.pool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The pool's decisions, as pure functions of snapshots: no Docker, no clock, no locks. */
public final class PoolDecisions {

    private PoolDecisions() {
    }

    /**
     * Which container serves a call. In order:
     * <ol>
     *   <li>a container of the function with a free slot: the busiest one first (calls are packed, so the others
     *       stay idle and expire when load drops), then the most recently used idle one; then one still starting
     *       with a free slot (a burst joins the containers already starting instead of starting more);</li>
     *   <li>nothing new once the function has {@code maxInstances} containers: wait;</li>
     *   <li>a prewarmed container of the runtime, when the function may use one;</li>
     *   <li>a new container.</li>
     * </ol>
     * A new or specialised container must fit the node's memory budget and container count; if it does not, the
     * least recently used idle containers of other functions (retired ones, then prewarmed ones count as others)
     * are evicted, never one that keeps its function at its minInstances. If even that is not enough, wait.
     */
    public static Placement place(Demand demand, Collection<ContainerSnapshot> containers, NodeCapacity capacity) {
        return place(demand, containers, capacity, 1);
    }

    /**
     * As {@link #place(Demand, Collection, NodeCapacity)}, with {@code waiting} calls of the function waiting for a
     * slot (this one included). A function that already has running containers, all busy, is scaled out without
     * binding the call to the new container: while the slots of its starting containers cover the calls waiting, the
     * call waits ({@link Placement.Reason#SCALING_OUT}) and takes whichever slot frees first, so that a warm call
     * never waits for a whole container start when a busy container would have served it a millisecond later. A
     * function with no running container yet (a cold burst) joins what is starting, as before.
     */
    public static Placement place(Demand demand, Collection<ContainerSnapshot> containers, NodeCapacity capacity,
                                  int waiting) {
        ContainerSnapshot packed = null;
        ContainerSnapshot recent = null;
        ContainerSnapshot starting = null;
        ContainerSnapshot prewarmed = null;
        int instances = 0;
        int running = 0;
        int startingSlots = 0;
        for (ContainerSnapshot container : containers) {
            if (!container.live() || !container.serves(demand.function())) {
                if (container.live() && demand.prewarmable() && container.state() instanceof ContainerState.Prewarmed
                        && container.runtime().equals(demand.runtime())
                        && (prewarmed == null || since(container).isBefore(since(prewarmed)))) {
                    prewarmed = container;
                }
                continue;
            }
            instances++;
            if (container.state() instanceof ContainerState.Starting) {
                startingSlots += Math.max(0, container.concurrency() - container.calls());
            } else {
                running++;
            }
            if (container.calls() >= container.concurrency()) {
                continue;
            }
            switch (container.state()) {
                case ContainerState.Busy busy -> {
                    if (packed == null || container.calls() > packed.calls()) {
                        packed = container;
                    }
                }
                case ContainerState.Idle idle -> {
                    if (recent == null || idle.since().isAfter(since(recent))) {
                        recent = container;
                    }
                }
                case ContainerState.Starting ignored -> starting = starting == null ? container : starting;
                default -> {
                }
            }
        }
        if (packed != null) {
            return new Placement.Reuse(packed.key());
        }
        if (recent != null) {
            return new Placement.Reuse(recent.key());
        }
        if (running == 0 && starting != null) {
            return new Placement.Reuse(starting.key());
        }
        if (running > 0 && startingSlots >= waiting) {
            return new Placement.Wait(Placement.Reason.SCALING_OUT);
        }
        if (instances >= demand.maxInstances()) {
            return new Placement.Wait(Placement.Reason.FUNCTION_AT_MAX);
        }
        if (demand.memoryMb() > capacity.memoryBudgetMb()) {
            return new Placement.Impossible("the function needs " + demand.memoryMb() + " MB and this node's whole"
                    + " memory budget is " + capacity.memoryBudgetMb() + " MB");
        }
        if (prewarmed != null) {
            List<String> evict = makeRoom(demand.function(), demand.memoryMb() - prewarmed.memoryMb(), 0,
                    prewarmed.key(), containers, capacity);
            if (evict != null) {
                return new Placement.Specialise(prewarmed.key(), evict);
            }
        }
        List<String> evict = makeRoom(demand.function(), demand.memoryMb(), 1, null, containers, capacity);
        return evict != null ? new Placement.StartNew(evict) : new Placement.Wait(Placement.Reason.NODE_FULL);
    }

    /**
     * The containers to evict so that {@code extraMb} more memory and {@code extraContainers} more containers fit,
     * least recently used first: empty when they fit already, null when evicting every candidate is not enough.
     * Candidates are idle containers of other functions (or retired ones of any) and prewarmed ones other than
     * {@code keep}; a container its function needs to stay at its minInstances is not a candidate.
     */
    public static List<String> makeRoom(FunctionKey function, long extraMb, int extraContainers, String keep,
                                        Collection<ContainerSnapshot> containers, NodeCapacity capacity) {
        long usedMb = 0;
        int live = 0;
        Map<FunctionKey, Integer> instances = new HashMap<>();
        for (ContainerSnapshot container : containers) {
            if (container.live()) {
                usedMb += container.memoryMb();
                live++;
                if (container.function() != null && !container.retired()) {
                    instances.merge(container.function(), 1, Integer::sum);
                }
            }
        }
        long missingMb = usedMb + extraMb - capacity.memoryBudgetMb();
        int missingContainers = live + extraContainers - capacity.maxContainers();
        if (missingMb <= 0 && missingContainers <= 0) {
            return List.of();
        }
        List<ContainerSnapshot> candidates = new ArrayList<>();
        for (ContainerSnapshot container : containers) {
            boolean idleOther = container.state() instanceof ContainerState.Idle && container.calls() == 0
                    && (container.retired() || !container.function().equals(function));
            boolean spare = container.state() instanceof ContainerState.Prewarmed && !container.key().equals(keep);
            if (idleOther || spare) {
                candidates.add(container);
            }
        }
        candidates.sort(Comparator.comparing(PoolDecisions::since));
        List<String> evict = new ArrayList<>();
        for (ContainerSnapshot candidate : candidates) {
            if (missingMb <= 0 && missingContainers <= 0) {
                break;
            }
            if (candidate.function() != null && !candidate.retired()
                    && instances.getOrDefault(candidate.function(), 0) <= candidate.minInstances()) {
                continue; // kept warm on purpose
            }
            if (candidate.function() != null && !candidate.retired()) {
                instances.merge(candidate.function(), -1, Integer::sum);
            }
            evict.add(candidate.key());
            missingMb -= candidate.memoryMb();
            missingContainers--;
        }
        return missingMb <= 0 && missingContainers <= 0 ? evict : null;
    }

    /**
     * Idle containers past their idle TTL at {@code now} (oldest first, never taking a function below its
     * minInstances), and idle retired ones. Prewarmed containers do not expire here (see {@link #prewarmSurplus}).
     */
    public static List<String> expired(Collection<ContainerSnapshot> containers, Instant now) {
        Map<FunctionKey, Integer> instances = new HashMap<>();
        List<ContainerSnapshot> idle = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (ContainerSnapshot container : containers) {
            if (!container.live() || container.function() == null) {
                continue;
            }
            if (container.retired()) {
                if (container.state() instanceof ContainerState.Idle) {
                    expired.add(container.key());
                }
                continue;
            }
            instances.merge(container.function(), 1, Integer::sum);
            if (container.state() instanceof ContainerState.Idle(Instant since)
                    && !since.plus(container.idleTtl()).isAfter(now)) {
                idle.add(container);
            }
        }
        idle.sort(Comparator.comparing(PoolDecisions::since));
        for (ContainerSnapshot container : idle) {
            int count = instances.get(container.function());
            if (count > container.minInstances()) {
                instances.put(container.function(), count - 1);
                expired.add(container.key());
            }
        }
        return expired;
    }

    /**
     * How many containers to start for each function kept warm ({@code minInstances} by function version) so that
     * it has at least that many (starting ones count).
     */
    public static Map<FunctionKey, Integer> belowMinimum(Map<FunctionKey, Integer> minInstances,
                                                         Collection<ContainerSnapshot> containers) {
        Map<FunctionKey, Integer> missing = new LinkedHashMap<>();
        minInstances.forEach((function, min) -> {
            long have = containers.stream().filter(c -> c.live() && c.serves(function)).count();
            if (have < min) {
                missing.put(function, (int) (min - have));
            }
        });
        return missing;
    }

    /**
     * How many prewarmed containers a runtime should have: its minimum, plus one per cold start in the recent
     * window that found none (demand), at most its maximum. With no recent demand it falls back to the minimum.
     */
    public static int prewarmTarget(int min, int max, int recentMisses) {
        return Math.max(min, Math.min(max, min + recentMisses));
    }

    /** Prewarmed (or starting generic) containers to add per runtime to reach its target. */
    public static Map<String, Integer> prewarmShortfall(Map<String, Integer> targets,
                                                        Collection<ContainerSnapshot> containers) {
        Map<String, Integer> shortfall = new LinkedHashMap<>();
        targets.forEach((runtime, target) -> {
            int have = generic(runtime, containers).size();
            if (have < target) {
                shortfall.put(runtime, target - have);
            }
        });
        return shortfall;
    }

    /** Prewarmed containers beyond their runtime's target, oldest first. */
    public static List<String> prewarmSurplus(Map<String, Integer> targets, Collection<ContainerSnapshot> containers) {
        List<String> surplus = new ArrayList<>();
        targets.forEach((runtime, target) -> {
            List<ContainerSnapshot> generic = generic(runtime, containers);
            List<ContainerSnapshot> ready = generic.stream()
                    .filter(c -> c.state() instanceof ContainerState.Prewarmed)
                    .sorted(Comparator.comparing(PoolDecisions::since))
                    .toList();
            int extra = generic.size() - target;
            for (int i = 0; i < extra && i < ready.size(); i++) {
                surplus.add(ready.get(i).key());
            }
        });
        return surplus;
    }

    /** Whether a container of {@code memoryMb} fits without evicting anything (background starts never evict). */
    public static boolean fits(int memoryMb, Collection<ContainerSnapshot> containers, NodeCapacity capacity) {
        List<String> evict = makeRoom(null, memoryMb, 1, null, containers, capacity);
        return evict != null && evict.isEmpty();
    }

    /** Containers to retire when a function is deleted: all of its versions. */
    public static Predicate<FunctionKey> retiredByDeletion(String functionName) {
        return key -> key.name().equals(functionName);
    }

    /** Containers to retire when {@code latestVersion} of a function is deployed: its older versions. */
    public static Predicate<FunctionKey> retiredByDeploy(String functionName, int latestVersion) {
        return key -> key.name().equals(functionName) && key.version() < latestVersion;
    }

    private static List<ContainerSnapshot> generic(String runtime, Collection<ContainerSnapshot> containers) {
        return containers.stream()
                .filter(c -> c.live() && c.function() == null && c.runtime().equals(runtime))
                .toList();
    }

    private static Instant since(ContainerSnapshot container) {
        return switch (container.state()) {
            case ContainerState.Idle idle -> idle.since();
            case ContainerState.Prewarmed prewarmed -> prewarmed.since();
            case ContainerState.Busy busy -> busy.since();
            case ContainerState.Starting starting -> starting.since();
            case ContainerState.Removing removing -> removing.since();
        };
    }
}

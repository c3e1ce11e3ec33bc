package io.cloudfunc.containers.node;

import io.cloudfunc.containers.pool.ContainerSnapshot;
import io.cloudfunc.containers.pool.ContainerState;
import io.cloudfunc.containers.pool.FunctionKey;
import io.cloudfunc.contracts.messaging.NodeAnnouncement;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a node announces, computed from its pool's content: a pure function, tested without Docker or a broker. */
final class Announcements {

    private Announcements() {
    }

    /** The node's sizes: containers at most, memory budget, and the size a free slot is counted in. */
    record Sizes(int maxContainers, long memoryBudgetMb, int slotMemoryMb) {
    }

    static NodeAnnouncement of(String nodeId, URI url, Instant startedAt, long sequence, Instant now, String state,
                               List<ContainerSnapshot> containers, Map<FunctionKey, Integer> waiting,
                               Map<FunctionKey, Long> callMillis, Sizes sizes) {
        int busyContainers = 0;
        int calls = 0;
        long usedMb = 0;
        int occupied = 0; // containers that are neither idle nor pre-warmed: not free for another call
        long occupiedMb = 0;
        Map<String, Integer> prewarmed = new TreeMap<>();
        Map<List<Object>, Long> callMs = new java.util.HashMap<>();
        callMillis.forEach((key, ms) -> callMs.merge(List.of(key.name(), key.version()), ms, Math::max));
        Map<List<Object>, int[]> functions = new TreeMap<>(Comparator
                .comparing((List<Object> k) -> (String) k.get(0)).thenComparing(k -> (Integer) k.get(1)));
        for (ContainerSnapshot container : containers) {
            usedMb += container.memoryMb();
            ContainerState life = container.state();
            // idle and pre-warmed ones can be taken or evicted; one being removed no longer counts (as in the pool)
            boolean free = life instanceof ContainerState.Idle || life instanceof ContainerState.Prewarmed
                    || life instanceof ContainerState.Removing;
            if (!free) {
                occupied++;
                occupiedMb += container.memoryMb();
            }
            if (life instanceof ContainerState.Prewarmed) {
                prewarmed.merge(container.runtime(), 1, Integer::sum);
                continue;
            }
            FunctionKey function = container.function();
            if (function == null || container.retired() || life instanceof ContainerState.Removing) {
                continue;
            }
            int[] counts = functions.computeIfAbsent(List.of(function.name(), function.version()), k -> new int[4]);
            if (life instanceof ContainerState.Idle) {
                counts[0]++;
            } else {
                counts[1]++;
                busyContainers++;
            }
            counts[2] += container.calls();
            calls += container.calls();
        }
        int waitingTotal = 0;
        for (Map.Entry<FunctionKey, Integer> entry : waiting.entrySet()) {
            FunctionKey function = entry.getKey();
            functions.computeIfAbsent(List.of(function.name(), function.version()), k -> new int[4])[3]
                    += entry.getValue();
            waitingTotal += entry.getValue();
        }
        List<NodeAnnouncement.WarmFunction> warm = new ArrayList<>();
        functions.forEach((key, c) -> warm.add(new NodeAnnouncement.WarmFunction((String) key.get(0),
                (Integer) key.get(1), c[0], c[1], c[2], c[3], callMs.getOrDefault(key, 0L))));
        long byMemory = sizes.slotMemoryMb() > 0
                ? (sizes.memoryBudgetMb() - occupiedMb) / sizes.slotMemoryMb() : Integer.MAX_VALUE;
        int freeSlots = (int) Math.max(0, Math.min(sizes.maxContainers() - occupied, byMemory) - waitingTotal);
        return new NodeAnnouncement(nodeId, url, startedAt, sequence, now, state,
                new NodeAnnouncement.Capacity(sizes.memoryBudgetMb(), usedMb, sizes.maxContainers(),
                        containers.size(), freeSlots),
                new NodeAnnouncement.Load(busyContainers, calls, waitingTotal), warm, prewarmed);
    }
}

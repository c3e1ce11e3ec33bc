package io.cloudfunc.contracts.messaging;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a container-manager node says about itself every {@code containers.announce-interval} (1 s) on the fanout
 * exchange {@link Topology#NODES_EXCHANGE} (type {@value Topology#TYPE_NODE_ANNOUNCEMENT}, transient: state, not work).
 * Schedulers place calls from it; gateways list nodes and reach their internal API through {@code url}. A node not
 * heard for {@code scheduler.node-timeout} (10 s) is out.
 *
 * @param nodeId    the node ({@code containers.node}); its queue is {@code cloudfunc.node.<nodeId>}
 * @param url       base URL of the node's internal HTTP API ({@code containers.announce-url})
 * @param startedAt when this process of the node started: with {@code sequence}, orders the announcements of a node
 *                  across restarts
 * @param sequence  1, 2, 3... within one process of the node
 * @param sentAt    when the node built the announcement
 * @param state     {@code up}, {@code draining} (takes no new calls, finishes what it runs) or {@code drained}
 *                  (idle for good: no consumer, no containers)
 * @param capacity  what the node can hold
 * @param load      what it runs now
 * @param functions the function versions it holds containers of, with their idle, busy and waiting counts
 * @param prewarmed pre-warmed (generic) containers by runtime
 */
public record NodeAnnouncement(String nodeId, URI url, Instant startedAt, long sequence, Instant sentAt,
                               String state, Capacity capacity, Load load, List<WarmFunction> functions,
                               Map<String, Integer> prewarmed) {

    public static final String UP = "up";
    public static final String DRAINING = "draining";
    public static final String DRAINED = "drained";

    public NodeAnnouncement {
        functions = functions == null ? List.of() : List.copyOf(functions);
        prewarmed = prewarmed == null ? Map.of() : Map.copyOf(prewarmed);
    }

    /** Whether schedulers may place new calls on it. */
    public boolean takesCalls() {
        return UP.equals(state);
    }

    /** The entry of a function version, if the node holds containers of it. */
    public WarmFunction function(String name, int version) {
        for (WarmFunction function : functions) {
            if (function.version() == version && function.name().equals(name)) {
                return function;
            }
        }
        return null;
    }

    /**
     * @param memoryBudgetMb memory all its containers may have together
     * @param memoryUsedMb   memory its containers have now
     * @param maxContainers  containers it runs at most
     * @param containers     containers it has now (any state)
     * @param freeSlots      calls it could start now without waiting: containers it could still start (of 128 MB,
     *                       idle and pre-warmed ones counted as free since they can be evicted), less the calls
     *                       already waiting for a slot; 0 when full
     */
    public record Capacity(long memoryBudgetMb, long memoryUsedMb, int maxContainers, int containers,
                           int freeSlots) {
    }

    /**
     * @param busyContainers containers serving or starting for calls
     * @param calls          calls in flight (running, or waiting for their container to start)
     * @param waiting        calls waiting for a slot (function at maxInstances, node full)
     */
    public record Load(int busyContainers, int calls, int waiting) {
    }

    /**
     * @param name    function name
     * @param version function version
     * @param idle    warm containers free for a call now
     * @param busy    containers serving or starting
     * @param calls   calls in flight on its containers
     * @param waiting calls waiting for a slot
     * @param callMs  how long a container of it stays busy for a call, a running mean (0 before its first call
     *                ended): schedulers count a call they placed as in flight for about this long
     */
    public record WarmFunction(String name, int version, int idle, int busy, int calls, int waiting, long callMs) {
    }
}

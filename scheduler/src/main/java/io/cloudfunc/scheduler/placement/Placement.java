package io.cloudfunc.scheduler.placement;

import io.cloudfunc.contracts.messaging.NodeAnnouncement;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a call goes, decided from the nodes' latest announcements and the calls this scheduler placed on each since:
 * a pure function, tested without a broker.
 * <ol>
 * <li>{@link Reason#WARM}: a node holding an idle warm container of that function version (not yet claimed by a call
 *     placed since its announcement); the home node first if it is one of them;</li>
 * <li>{@link Reason#HOME}: the function's home node (rendezvous hashing over the nodes that take calls) when it has
 *     a free slot, or holds containers of that version with no call of it waiting, so that a function's calls
 *     gather where its containers are;</li>
 * <li>{@link Reason#AT_MAX}: the function's calls in flight across the cluster reached its maxInstances x concurrency:
 *     the node holding most of them, where the call waits for one of its containers (no spill past the limit);</li>
 * <li>{@link Reason#SPILL}: the least loaded other node with a free slot;</li>
 * <li>{@link Reason#FULL}: no node has room: the home node, where the call waits for a slot.</li>
 * </ol>
 * Draining, drained and out nodes take no calls; with none left, there is no placement.
 */
public final class Placement {

    private Placement() {
    }

    /** Why a node was chosen. */
    public enum Reason { WARM, HOME, AT_MAX, SPILL, FULL }

    /** The decision: the node and why. */
    public record Decision(String nodeId, Reason reason) {
    }

    /**
     * A call to place.
     *
     * @param maxCalls the function's calls allowed at once across the cluster (maxInstances x concurrency), 0 when the
     *                 function sets no maxInstances (each node's own default limit applies)
     */
    public record Call(String functionName, int version, int maxCalls) {
    }

    /**
     * A node as the scheduler sees it: its latest announcement, and the calls this scheduler placed on it lately,
     * which the announcement may not show yet.
     *
     * @param announcement  its latest announcement
     * @param placed        calls placed on it that may still hold a slot (within their function's call time)
     * @param placedByCall  of which calls of each function version ({@link #key})
     * @param recentByCall  calls of each function version placed on it within the last two announcement intervals,
     *                      for the cluster-wide maxInstances (counted generously: too many only keeps a call from
     *                      spilling)
     */
    public record Node(NodeAnnouncement announcement, int placed, Map<String, Integer> placedByCall,
                       Map<String, Integer> recentByCall) {

        public Node {
            placedByCall = Map.copyOf(placedByCall);
            recentByCall = Map.copyOf(recentByCall);
        }

        /** With the same counts for both (tests). */
        public Node(NodeAnnouncement announcement, int placed, Map<String, Integer> placedByCall) {
            this(announcement, placed, placedByCall, placedByCall);
        }

        String id() {
            return announcement.nodeId();
        }

        int placedFor(Call call) {
            return placedByCall.getOrDefault(key(call.functionName(), call.version()), 0);
        }

        int idleFor(Call call) {
            NodeAnnouncement.WarmFunction function = announcement.function(call.functionName(), call.version());
            return function == null ? 0 : function.idle() - placedFor(call);
        }

        /**
         * Calls of that function version in flight or waiting here: as announced, or as placed lately when more
         * (the announcement may not show them yet).
         */
        int callsOf(Call call) {
            NodeAnnouncement.WarmFunction function = announcement.function(call.functionName(), call.version());
            int announced = function == null ? 0 : function.calls() + function.waiting();
            return Math.max(announced, recentByCall.getOrDefault(key(call.functionName(), call.version()), 0));
        }

        /**
         * Whether the node holds containers of that function version and no call of it waits there (as announced):
         * a call placed on it is served by one of them, or waits briefly for one, so calls of a warm function stay
         * on its node until the node reports a queue, however many were placed lately.
         */
        boolean servesWithoutQueue(Call call) {
            NodeAnnouncement.WarmFunction function = announcement.function(call.functionName(), call.version());
            return function != null && function.idle() + function.busy() > 0 && function.waiting() == 0;
        }

        /** The announced free slots, or fewer when the calls placed lately fill more of the node. */
        int freeSlots() {
            NodeAnnouncement.Capacity capacity = announcement.capacity();
            return Math.min(capacity.freeSlots(), capacity.maxContainers() - placed);
        }
    }

    /** The key of a function version in {@link Node#placedByCall}. */
    public static String key(String functionName, int version) {
        return functionName + ':' + version;
    }

    public static Optional<Decision> place(Call call, List<Node> nodes) {
        List<Node> open = nodes.stream().filter(node -> node.announcement().takesCalls()).toList();
        if (open.isEmpty()) {
            return Optional.empty();
        }
        String homeId = NodePlacement.place(call.functionName(), open.stream().map(Node::id).toList());
        Node home = open.stream().filter(node -> node.id().equals(homeId)).findFirst().orElseThrow();
        if (home.idleFor(call) > 0) {
            return decision(home, Reason.WARM);
        }
        Optional<Node> warm = open.stream().filter(node -> node.idleFor(call) > 0)
                .max(Comparator.comparingInt((Node node) -> node.idleFor(call)).thenComparing(Node::id,
                        Comparator.reverseOrder()));
        if (warm.isPresent()) {
            return decision(warm.get(), Reason.WARM);
        }
        if (call.maxCalls() > 0) {
            int inFlight = nodes.stream().mapToInt(node -> node.callsOf(call)).sum();
            if (inFlight >= call.maxCalls()) {
                Node holder = open.stream()
                        .max(Comparator.comparingInt((Node node) -> node.callsOf(call))
                                .thenComparing(node -> node == home))
                        .orElse(home);
                return decision(holder.callsOf(call) > 0 ? holder : home, Reason.AT_MAX);
            }
        }
        if (home.freeSlots() > 0 || home.servesWithoutQueue(call)) {
            return decision(home, Reason.HOME);
        }
        return open.stream().filter(node -> node.freeSlots() > 0)
                .max(Comparator.comparingInt(Node::freeSlots).thenComparing(Node::id, Comparator.reverseOrder()))
                .map(node -> new Decision(node.id(), Reason.SPILL))
                .or(() -> decision(home, Reason.FULL));
    }

    private static Optional<Decision> decision(Node node, Reason reason) {
        return Optional.of(new Decision(node.id(), reason));
    }
}

package io.cloudfunc.scheduler.placement;

import io.cloudfunc.contracts.messaging.NodeAnnouncement;
import io.cloudfunc.contracts.node.NodeView;
import io.cloudfunc.support.nodes.NodeDirectory;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes this scheduler places calls on: the live ones of the {@link NodeDirectory}, each with the calls placed on
 * it lately, which its announcement (once a second) may not show yet, so that a burst spreads rather than piling on
 * one node. A placed call holds a slot for the function's mean call time on that node ({@code callMs}, or
 * {@link #UNKNOWN_CALL} before it is known), so that sequential calls, each ended before the next, do not add up to
 * a full node; it counts towards the function's cluster-wide maxInstances for {@link #RECENT} (two announcement
 * intervals), by when its node's announcement shows it.
 */
public class NodeLoads {

    private static final Logger log = LoggerFactory.getLogger(NodeLoads.class);

    /** How long a placed call holds a slot when the node has not yet timed a call of that function version. */
    static final Duration UNKNOWN_CALL = Duration.ofMillis(50);
    /** How long a placed call counts towards its function's cluster-wide maxInstances. */
    static final Duration RECENT = Duration.ofSeconds(2);

    private final NodeDirectory directory;
    private final LongSupplier nanoTime;
    private final Map<String, PlacedCalls> placed = new HashMap<>();

    private record Placed(String key, long holdsSlotUntil, long recentUntil) {
    }

    public NodeLoads(NodeDirectory directory) {
        this(directory, System::nanoTime);
    }

    NodeLoads(NodeDirectory directory, LongSupplier nanoTime) {
        this.directory = directory;
        this.nanoTime = nanoTime;
    }

    public NodeDirectory directory() {
        return directory;
    }

    /** Places a call and counts it on the chosen node; empty when no live node takes calls. */
    public synchronized Optional<Placement.Decision> place(Placement.Call call) {
        long now = nanoTime.getAsLong();
        List<NodeAnnouncement> live = directory.live();
        List<Placement.Node> nodes = live.stream().map(announcement -> node(announcement, now)).toList();
        Optional<Placement.Decision> decision = Placement.place(call, nodes);
        decision.ifPresent(d -> {
            if (log.isDebugEnabled()) {
                log.debug("{} v{} -> {} ({}) over {}", call.functionName(), call.version(), d.nodeId(), d.reason(),
                        nodes.stream().map(n -> n.announcement().nodeId() + " free " + n.freeSlots() + " placed "
                                + n.placed() + " calls " + n.callsOf(call)).toList());
            }
            NodeAnnouncement node = live.stream().filter(a -> a.nodeId().equals(d.nodeId())).findFirst()
                    .orElseThrow();
            NodeAnnouncement.WarmFunction function = node.function(call.functionName(), call.version());
            long hold = function != null && function.callMs() > 0 ? Duration.ofMillis(function.callMs()).toNanos()
                    : UNKNOWN_CALL.toNanos();
            placed.get(d.nodeId()).add(new Placed(Placement.key(call.functionName(), call.version()),
                    now + hold, now + Math.max(hold, RECENT.toNanos())));
        });
        return decision;
    }

    /**
     * Where an asynchronous call waits when no live node takes calls: the durable queue of the node heard last among
     * those heard lately (out, stopping or draining now), the likeliest to be back first (a stack's one node being
     * restarted; not a node scaled away before it), so that the call is accepted and runs once a node is back (that
     * node consumes its own queue; {@code NodeTakeover} moves the queue of one that stays out to a live node). Empty
     * when this scheduler has heard no node at all.
     */
    public Optional<String> parking() {
        return directory.views().stream()
                .max(Comparator.comparing(NodeView::lastSeen).thenComparing(NodeView::id, Comparator.reverseOrder()))
                .map(NodeView::id);
    }

    private Placement.Node node(NodeAnnouncement announcement, long now) {
        return placed.computeIfAbsent(announcement.nodeId(), id -> new PlacedCalls()).node(announcement, now);
    }

    /**
     * The calls placed on one node lately, with their counts kept up to date as calls are added and expire, so that
     * a placement costs the same at 10 calls a second as at 10,000 (walking every call of the last two seconds on
     * each placement did not).
     */
    private static final class PlacedCalls {

        private final PriorityQueue<Placed> holdingSlots = new PriorityQueue<>(
                Comparator.comparingLong(Placed::holdsSlotUntil));
        private final PriorityQueue<Placed> recent = new PriorityQueue<>(Comparator.comparingLong(Placed::recentUntil));
        private final Map<String, Integer> holdingByCall = new HashMap<>();
        private final Map<String, Integer> recentByCall = new HashMap<>();

        void add(Placed call) {
            holdingSlots.add(call);
            recent.add(call);
            holdingByCall.merge(call.key(), 1, Integer::sum);
            recentByCall.merge(call.key(), 1, Integer::sum);
        }

        Placement.Node node(NodeAnnouncement announcement, long now) {
            expire(holdingSlots, holdingByCall, Placed::holdsSlotUntil, now);
            expire(recent, recentByCall, Placed::recentUntil, now);
            return new Placement.Node(announcement, holdingSlots.size(), holdingByCall, recentByCall);
        }

        private static void expire(PriorityQueue<Placed> calls, Map<String, Integer> byCall,
                                   ToLongFunction<Placed> until, long now) {
            while (!calls.isEmpty() && until.applyAsLong(calls.peek()) - now <= 0) {
                byCall.computeIfPresent(calls.poll().key(), (key, count) -> count == 1 ? null : count - 1);
            }
        }
    }
}

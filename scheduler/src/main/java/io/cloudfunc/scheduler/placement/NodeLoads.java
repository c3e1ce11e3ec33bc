package io.cloudfunc.scheduler.placement;

import io.cloudfunc.contracts.messaging.NodeAnnouncement;
import io.cloudfunc.support.nodes.NodeDirectory;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The nodes this scheduler places calls on: the live ones of the {@link NodeDirectory}, each with the calls placed on
 * it that its latest announcement cannot show yet, so that a burst between two announcements spreads rather than
 * piling on one node. A placed call counts until the node's next announcement, or until it has most likely ended:
 * after the function's mean call time on that node ({@code callMs}, or {@link #UNKNOWN_CALL_MS} before it is known),
 * so that sequential calls, each ended before the next, do not add up to a full node.
 */
public class NodeLoads {

    /** How long a placed call counts when the node has not yet timed a call of that function version. */
    static final long UNKNOWN_CALL_MS = 1_000;

    private final NodeDirectory directory;
    private final LongSupplier nanoTime;
    private final Map<String, Placed> placed = new HashMap<>();

    private record Call(String key, long until) {
    }

    private static final class Placed {
        long sequence = Long.MIN_VALUE;
        final Deque<Call> calls = new ArrayDeque<>();
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
            NodeAnnouncement node = live.stream().filter(a -> a.nodeId().equals(d.nodeId())).findFirst()
                    .orElseThrow();
            NodeAnnouncement.WarmFunction function = node.function(call.functionName(), call.version());
            long callMs = function != null && function.callMs() > 0 ? function.callMs() : UNKNOWN_CALL_MS;
            placed.get(d.nodeId()).calls.addLast(new Call(Placement.key(call.functionName(), call.version()),
                    now + callMs * 1_000_000L));
        });
        return decision;
    }

    private Placement.Node node(NodeAnnouncement announcement, long now) {
        Placed counts = placed.computeIfAbsent(announcement.nodeId(), id -> new Placed());
        long sequence = announcement.startedAt() == null ? announcement.sequence()
                : announcement.startedAt().toEpochMilli() * 1_000_000 + announcement.sequence();
        if (counts.sequence != sequence) {
            counts.sequence = sequence;
            counts.calls.clear(); // what the node took is in this announcement
        }
        counts.calls.removeIf(call -> call.until() - now <= 0);
        Map<String, Integer> byCall = new HashMap<>();
        counts.calls.forEach(call -> byCall.merge(call.key(), 1, Integer::sum));
        return new Placement.Node(announcement, counts.calls.size(), byCall);
    }
}

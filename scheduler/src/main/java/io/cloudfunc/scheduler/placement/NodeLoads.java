package io.cloudfunc.scheduler.placement;

import io.cloudfunc.contracts.messaging.NodeAnnouncement;
import io.cloudfunc.support.nodes.NodeDirectory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The nodes this scheduler places calls on: the live ones of the {@link NodeDirectory}, each with the calls placed on
 * it since its latest announcement (which that announcement cannot show yet), so that a burst between two
 * announcements spreads rather than piling on one node. The counts start again at every announcement of the node.
 */
public class NodeLoads {

    private final NodeDirectory directory;
    private final Map<String, Placed> placed = new HashMap<>();

    private static final class Placed {
        long sequence = -1;
        int total;
        final Map<String, Integer> byCall = new HashMap<>();
    }

    public NodeLoads(NodeDirectory directory) {
        this.directory = directory;
    }

    public NodeDirectory directory() {
        return directory;
    }

    /** Places a call and counts it on the chosen node; empty when no live node takes calls. */
    public synchronized Optional<Placement.Decision> place(Placement.Call call) {
        List<NodeAnnouncement> live = directory.live();
        List<Placement.Node> nodes = live.stream().map(this::node).toList();
        Optional<Placement.Decision> decision = Placement.place(call, nodes);
        decision.ifPresent(d -> {
            Placed counts = placed.get(d.nodeId());
            counts.total++;
            counts.byCall.merge(Placement.key(call.functionName(), call.version()), 1, Integer::sum);
        });
        return decision;
    }

    private Placement.Node node(NodeAnnouncement announcement) {
        Placed counts = placed.computeIfAbsent(announcement.nodeId(), id -> new Placed());
        long sequence = announcement.startedAt() == null ? announcement.sequence()
                : announcement.startedAt().toEpochMilli() * 1_000_000 + announcement.sequence();
        if (counts.sequence != sequence) {
            counts.sequence = sequence;
            counts.total = 0;
            counts.byCall.clear();
        }
        return new Placement.Node(announcement, counts.total, counts.byCall);
    }
}

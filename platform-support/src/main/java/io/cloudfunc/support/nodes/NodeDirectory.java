package io.cloudfunc.support.nodes;

import io.cloudfunc.contracts.messaging.NodeAnnouncement;
import io.cloudfunc.contracts.node.NodeView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The container-manager nodes as their announcements describe them, and which of them are live: a node is live
 * while its latest announcement is younger than {@code timeout}; after that it is out (and listed as such for
 * {@code forgetAfter}, then forgotten). A node's announcements are ordered by its process start and sequence number:
 * an older one arriving late never replaces a newer one. Thread-safe; time comes from the clock, so the rules are
 * tested without waiting.
 *
 * <p>A node can also be {@linkplain #remember remembered} from a durable record (the registry's node samples) by a
 * scheduler that started after the node fell silent: such a node is never live; it counts as out once a timeout has
 * passed since it was remembered (time enough for a live one to be heard), so that its queue is taken over, until it
 * is heard again or {@linkplain #forget forgotten}.
 */
public final class NodeDirectory {

    private final Clock clock;
    private final Duration timeout;
    private final Duration forgetAfter;
    private final Map<String, Heard> nodes = new ConcurrentHashMap<>();
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    /** A node's latest announcement and when it arrived here. */
    public record Heard(NodeAnnouncement announcement, Instant at) {
    }

    /** A node known from a record only: when it was seen last, and when this directory learnt of it. */
    private record Remembered(Instant lastSeen, Instant since) {
    }

    public NodeDirectory(Clock clock, Duration timeout) {
        this(clock, timeout, Duration.ofMinutes(5).plus(timeout));
    }

    public NodeDirectory(Clock clock, Duration timeout, Duration forgetAfter) {
        if (!timeout.isPositive()) {
            throw new IllegalArgumentException("the node timeout must be positive, got " + timeout);
        }
        this.clock = clock;
        this.timeout = timeout;
        this.forgetAfter = forgetAfter;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Remembers nodes known from a record, by id with the time each was seen last, unless heard already; returns the
     * ids newly remembered.
     */
    public List<String> remember(Map<String, Instant> lastSeen) {
        Instant now = clock.instant();
        List<String> added = new ArrayList<>();
        lastSeen.forEach((id, at) -> {
            if (id != null && !id.isBlank() && !nodes.containsKey(id)
                    && remembered.putIfAbsent(id, new Remembered(at, now)) == null) {
                added.add(id);
            }
        });
        added.sort(null);
        return added;
    }

    /** Drops a node, heard or remembered: it is no longer out, nor listed, until heard again. */
    public void forget(String nodeId) {
        nodes.remove(nodeId);
        remembered.remove(nodeId);
    }

    /**
     * Whether a node is silent for longer than {@code forgetAfter} (or not known here at all): nothing should be
     * placed in its queue any more, but by a scheduler that still thinks it live, which it cannot for that long.
     */
    public boolean longGone(String nodeId) {
        Instant now = clock.instant();
        Heard heard = nodes.get(nodeId);
        if (heard != null) {
            return !heard.at().plus(forgetAfter).isAfter(now);
        }
        Remembered known = remembered.get(nodeId);
        return known == null || !known.lastSeen().plus(forgetAfter).isAfter(now);
    }

    /** Records an announcement; returns false when it is older than the one already held for its node. */
    public boolean heard(NodeAnnouncement announcement) {
        if (announcement == null || announcement.nodeId() == null || announcement.nodeId().isBlank()) {
            return false;
        }
        Instant now = clock.instant();
        boolean[] taken = {false};
        nodes.compute(announcement.nodeId(), (id, held) -> {
            if (held != null && !newer(announcement, held.announcement())) {
                return held;
            }
            taken[0] = true;
            return new Heard(announcement, now);
        });
        remembered.remove(announcement.nodeId());
        return taken[0];
    }

    private static boolean newer(NodeAnnouncement candidate, NodeAnnouncement held) {
        int started = compare(candidate.startedAt(), held.startedAt());
        return started > 0 || started == 0 && candidate.sequence() > held.sequence();
    }

    private static int compare(Instant a, Instant b) {
        return a == null || b == null ? (a == null ? (b == null ? 0 : -1) : 1) : a.compareTo(b);
    }

    /** Whether a node heard at {@code at} is still live now. */
    private boolean live(Heard heard, Instant now) {
        return heard.at().plus(timeout).isAfter(now);
    }

    /** The live nodes' latest announcements (any state: up, draining, drained), by node id. */
    public List<NodeAnnouncement> live() {
        Instant now = clock.instant();
        return nodes.values().stream()
                .filter(heard -> live(heard, now))
                .map(Heard::announcement)
                .sorted(Comparator.comparing(NodeAnnouncement::nodeId))
                .toList();
    }

    /** The live node by that id. */
    public Optional<NodeAnnouncement> live(String nodeId) {
        Heard heard = nodes.get(nodeId);
        return heard != null && live(heard, clock.instant()) ? Optional.of(heard.announcement()) : Optional.empty();
    }

    /**
     * Nodes heard once and silent for longer than the timeout (not yet forgotten), and nodes remembered a timeout ago
     * or longer and not heard since.
     */
    public List<String> out() {
        Instant now = clock.instant();
        List<String> out = new ArrayList<>();
        nodes.values().stream().filter(heard -> !live(heard, now)).forEach(heard -> out.add(heard.announcement()
                .nodeId()));
        remembered.forEach((id, known) -> {
            if (!known.since().plus(timeout).isAfter(now) && !nodes.containsKey(id)) {
                out.add(id);
            }
        });
        return out.stream().distinct().sorted().toList();
    }

    /** Every node heard within {@code forgetAfter}, as {@code GET /nodes} shows them; older ones are forgotten. */
    public List<NodeView> views() {
        Instant now = clock.instant();
        nodes.values().removeIf(heard -> !heard.at().plus(forgetAfter).isAfter(now));
        List<NodeView> views = new ArrayList<>();
        for (Heard heard : nodes.values()) {
            NodeAnnouncement a = heard.announcement();
            views.add(new NodeView(a.nodeId(), live(heard, now) ? a.state() : NodeView.OUT, a.url(), heard.at(),
                    a.startedAt(), a.capacity(), a.load(), a.functions(), a.prewarmed()));
        }
        views.sort(Comparator.comparing(NodeView::id));
        return views;
    }
}

package io.cloudfunc.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.messaging.NodeAnnouncement;
import io.cloudfunc.scheduler.placement.Placement.Decision;
import io.cloudfunc.scheduler.placement.Placement.Reason;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementTests {

    private static final Placement.Call HELLO = new Placement.Call("hello", 3, 0);

    @Test
    void aNodeWithAnIdleWarmContainerOfTheVersionWins() {
        String home = NodePlacement.place("hello", List.of("a", "b", "c"));
        String other = home.equals("a") ? "b" : "a";
        var nodes = List.of(node("a", 4, warm(other.equals("a"), 1)), node("b", 4, warm(other.equals("b"), 1)),
                node("c", 4, List.of()));

        assertThat(Placement.place(HELLO, nodes)).contains(new Decision(other, Reason.WARM));
    }

    @Test
    void anIdleContainerOfAnotherVersionDoesNotCount() {
        var nodes = List.of(node("a", 4, List.of(new NodeAnnouncement.WarmFunction("hello", 2, 1, 0, 0, 0, 0))),
                node("b", 4, List.of()), node("c", 4, List.of()));

        assertThat(Placement.place(HELLO, nodes)).map(Decision::reason).contains(Reason.HOME);
    }

    @Test
    void withoutAWarmContainerTheHomeNodeWinsAndStaysTheSameAsLongAsItHasRoom() {
        var nodes = List.of(node("a", 4, List.of()), node("b", 4, List.of()), node("c", 4, List.of()));
        String home = NodePlacement.place("hello", List.of("a", "b", "c"));

        assertThat(Placement.place(HELLO, nodes)).contains(new Decision(home, Reason.HOME));
        assertThat(Placement.place(HELLO, nodes.reversed())).contains(new Decision(home, Reason.HOME));
    }

    @Test
    void aFullHomeNodeSpillsToTheLeastLoadedNodeWithRoom() {
        String home = NodePlacement.place("hello", List.of("a", "b", "c"));
        List<Placement.Node> nodes = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            int free = id.equals(home) ? 0 : (id.equals(firstOtherThan(home)) ? 1 : 3);
            nodes.add(node(id, free, List.of()));
        }
        String leastLoaded = List.of("a", "b", "c").stream()
                .filter(id -> !id.equals(home) && !id.equals(firstOtherThan(home))).findFirst().orElseThrow();

        assertThat(Placement.place(HELLO, nodes)).contains(new Decision(leastLoaded, Reason.SPILL));
    }

    @Test
    void callsPlacedSinceTheAnnouncementTakeTheFreeSlots() {
        String home = NodePlacement.place("hello", List.of("a", "b"));
        String other = home.equals("a") ? "b" : "a";
        var nodes = List.of(new Placement.Node(announcement(home, 2, List.of()), 2, Map.of()),
                node(other, 2, List.of()));

        assertThat(Placement.place(HELLO, nodes)).contains(new Decision(other, Reason.SPILL));
    }

    @Test
    void aWarmFunctionStaysOnItsHomeNodeUntilCallsWaitThere() {
        String home = NodePlacement.place("hello", List.of("a", "b"));
        String other = home.equals("a") ? "b" : "a";
        var busy = List.of(new NodeAnnouncement.WarmFunction("hello", 3, 0, 1, 1, 0, 0));
        // calls placed lately fill the home node, but its container of hello serves them in turn
        var nodes = List.of(new Placement.Node(announcement(home, 1, busy), 2, Map.of("hello:3", 2)),
                node(other, 2, List.of()));
        assertThat(Placement.place(HELLO, nodes)).contains(new Decision(home, Reason.HOME));

        var queued = List.of(new NodeAnnouncement.WarmFunction("hello", 3, 0, 1, 1, 3, 0));
        var queuing = List.of(new Placement.Node(announcement(home, 0, queued), 0, Map.of()),
                node(other, 2, List.of()));
        assertThat(Placement.place(HELLO, queuing)).contains(new Decision(other, Reason.SPILL));
    }

    @Test
    void whenNoNodeHasRoomTheCallWaitsAtHome() {
        var nodes = List.of(node("a", 0, List.of()), node("b", 0, List.of()));

        assertThat(Placement.place(HELLO, nodes))
                .contains(new Decision(NodePlacement.place("hello", List.of("a", "b")), Reason.FULL));
    }

    @Test
    void aFunctionAtItsClusterWideMaximumDoesNotSpill() {
        String home = NodePlacement.place("hello", List.of("a", "b", "c"));
        var capped = new Placement.Call("hello", 3, 2);
        var nodes = new ArrayList<Placement.Node>();
        for (String id : List.of("a", "b", "c")) {
            nodes.add(id.equals(home)
                    ? new Placement.Node(announcement(id, 0, List.of(new NodeAnnouncement.WarmFunction("hello", 3, 0,
                            2, 2, 1, 0))), 0, Map.of())
                    : node(id, 4, List.of()));
        }

        assertThat(Placement.place(capped, nodes)).contains(new Decision(home, Reason.AT_MAX));
        // below the maximum (3 in flight or waiting, 4 allowed): it spills
        assertThat(Placement.place(new Placement.Call("hello", 3, 4), nodes)).map(Decision::reason)
                .contains(Reason.SPILL);
    }

    @Test
    void callsOfTheFunctionPlacedSinceTheAnnouncementsCountTowardsTheMaximum() {
        var capped = new Placement.Call("hello", 3, 2);
        var nodes = List.of(new Placement.Node(announcement("a", 4, List.of()), 1, Map.of("hello:3", 1)),
                new Placement.Node(announcement("b", 4, List.of()), 1, Map.of("hello:3", 1)));

        assertThat(Placement.place(capped, nodes)).map(Decision::reason).contains(Reason.AT_MAX);
    }

    @Test
    void drainingNodesTakeNoCallsAndWithoutNodesThereIsNoPlacement() {
        var draining = new Placement.Node(withState(announcement("a", 4, warm(true, 2)), NodeAnnouncement.DRAINING),
                0, Map.of());

        assertThat(Placement.place(HELLO, List.of(draining, node("b", 0, List.of()))))
                .contains(new Decision("b", Reason.FULL));
        assertThat(Placement.place(HELLO, List.of(draining))).isEmpty();
        assertThat(Placement.place(HELLO, List.of())).isEmpty();
    }

    private static String firstOtherThan(String home) {
        return home.equals("a") ? "b" : "a";
    }

    private static List<NodeAnnouncement.WarmFunction> warm(boolean has, int idle) {
        return has ? List.of(new NodeAnnouncement.WarmFunction("hello", 3, idle, 0, 0, 0, 0)) : List.of();
    }

    private static Placement.Node node(String id, int freeSlots, List<NodeAnnouncement.WarmFunction> functions) {
        return new Placement.Node(announcement(id, freeSlots, functions), 0, Map.of());
    }

    private static NodeAnnouncement announcement(String id, int freeSlots,
                                                 List<NodeAnnouncement.WarmFunction> functions) {
        Instant now = Instant.parse("2026-12-07T20:00:00Z");
        return new NodeAnnouncement(id, URI.create("http://127.0.0.1:9100"), now, 1, now, NodeAnnouncement.UP,
                new NodeAnnouncement.Capacity(4096, 0, Math.max(2, freeSlots), 0, freeSlots),
                new NodeAnnouncement.Load(0, 0, 0), functions, Map.of());
    }

    private static NodeAnnouncement withState(NodeAnnouncement a, String state) {
        return new NodeAnnouncement(a.nodeId(), a.url(), a.startedAt(), a.sequence(), a.sentAt(), state,
                a.capacity(), a.load(), a.functions(), a.prewarmed());
    }
}

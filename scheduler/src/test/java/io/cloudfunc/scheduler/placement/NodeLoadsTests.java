package io.cloudfunc.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.messaging.NodeAnnouncement;
import io.cloudfunc.support.nodes.NodeDirectory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NodeLoadsTests {

    private static final Instant T0 = Instant.parse("2026-12-07T20:00:00Z");
    private final AtomicLong nanos = new AtomicLong();
    private final NodeDirectory directory = new NodeDirectory(Clock.fixed(T0, ZoneOffset.UTC), Duration.ofSeconds(10));
    private final NodeLoads loads = new NodeLoads(directory, nanos::get);
    private final String home = NodePlacement.place("hello", List.of("a", "b"));
    private final String other = home.equals("a") ? "b" : "a";

    @Test
    void aBurstBetweenTwoAnnouncementsSpillsOnceTheHomeNodeIsFull() {
        directory.heard(announcement(home, 1, 2, 0));
        directory.heard(announcement(other, 1, 2, 0));
        var call = new Placement.Call("hello", 1, 0);

        assertThat(List.of(loads.place(call).orElseThrow().nodeId(), loads.place(call).orElseThrow().nodeId(),
                loads.place(call).orElseThrow().nodeId())).containsExactly(home, home, other);
    }

    @Test
    void sequentialCallsOfAShortFunctionStayOnTheHomeNode() {
        // warm on home, where a call keeps its container busy for 5 ms
        directory.heard(announcement(home, 1, 2, 5));
        directory.heard(announcement(other, 1, 2, 0));
        var call = new Placement.Call("hello", 1, 0);
        for (int i = 0; i < 10; i++) {
            assertThat(loads.place(call).orElseThrow().nodeId()).isEqualTo(home);
            nanos.addAndGet(Duration.ofMillis(6).toNanos()); // the previous call has ended
        }
    }

    @Test
    void placedCallsCountTowardsTheClusterWideMaximumForTwoSeconds() {
        // a container on home that has just ended a call of 5 ms, not yet announced idle again
        var busy = announcement(home, 1, 2, 5);
        directory.heard(new NodeAnnouncement(home, busy.url(), T0, 1, T0, NodeAnnouncement.UP, busy.capacity(),
                busy.load(), List.of(new NodeAnnouncement.WarmFunction("hello", 1, 0, 1, 0, 0, 5)), Map.of()));
        directory.heard(announcement(other, 1, 2, 0));
        var capped = new Placement.Call("hello", 1, 1);
        assertThat(loads.place(capped).orElseThrow()).isEqualTo(new Placement.Decision(home,
                Placement.Reason.HOME));
        nanos.addAndGet(Duration.ofMillis(10).toNanos()); // its slot is free again, but it may still run
        assertThat(loads.place(capped).orElseThrow()).isEqualTo(new Placement.Decision(home,
                Placement.Reason.AT_MAX));
        nanos.addAndGet(Duration.ofMillis(2_100).toNanos());
        assertThat(loads.place(capped).orElseThrow()).isEqualTo(new Placement.Decision(home,
                Placement.Reason.HOME));
    }

    @Test
    void eachPlacedCallFreesItsSlotWhenItsOwnCallTimeHasPassedWhateverTheOrderTheyWerePlacedIn() {
        // one container slot each; "slow" calls take 500 ms, "hello" calls 5 ms (as each node announced)
        String slowHome = NodePlacement.place("slow", List.of("a", "b"));
        String slowOther = slowHome.equals("a") ? "b" : "a";
        for (String id : List.of("a", "b")) {
            var base = announcement(id, 1, 2, 0);
            directory.heard(new NodeAnnouncement(id, base.url(), T0, 1, T0, NodeAnnouncement.UP, base.capacity(),
                    base.load(), List.of(new NodeAnnouncement.WarmFunction("slow", 1, 0, 0, 0, 0, 500),
                            new NodeAnnouncement.WarmFunction("hello", 1, 0, 0, 0, 0, 5)), Map.of()));
        }
        var slow = new Placement.Call("slow", 1, 0);
        assertThat(loads.place(slow).orElseThrow().nodeId()).isEqualTo(slowHome);
        assertThat(loads.place(slow).orElseThrow().nodeId()).isEqualTo(slowHome);
        assertThat(loads.place(slow).orElseThrow().nodeId()).as("its home is full for 500 ms").isEqualTo(slowOther);
        nanos.addAndGet(Duration.ofMillis(100).toNanos());
        assertThat(loads.place(slow).orElseThrow().nodeId()).as("still full after 100 ms").isEqualTo(slowOther);
        nanos.addAndGet(Duration.ofMillis(450).toNanos());
        assertThat(loads.place(slow).orElseThrow().nodeId()).as("the first two ended").isEqualTo(slowHome);
        for (int i = 0; i < 10_000; i++) { // a long run of short calls, each ended before the next
            loads.place(new Placement.Call("hello", 1, 0)).orElseThrow();
            nanos.addAndGet(Duration.ofMillis(6).toNanos());
        }
        assertThat(loads.place(slow).orElseThrow().nodeId()).as("nothing left over from them").isEqualTo(slowHome);
        assertThat(loads.place(slow).orElseThrow().nodeId()).isEqualTo(slowHome);
    }

    @Test
    void anAsynchronousCallWithNoLiveNodeIsParkedOnTheNodeHeardLast() {
        var now = new AtomicReference<>(T0);
        var clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        var parked = new NodeLoads(new NodeDirectory(clock, Duration.ofSeconds(10)), nanos::get);
        assertThat(parked.parking()).as("no node heard yet").isEmpty();
        for (String id : List.of("b", "a")) {
            var up = announcement(id, 1, 2, 0);
            parked.directory().heard(new NodeAnnouncement(id, up.url(), T0, 2, T0, NodeAnnouncement.DRAINING,
                    up.capacity(), up.load(), List.of(), Map.of()));
            now.set(now.get().plusSeconds(1));
        }
        assertThat(parked.place(new Placement.Call("hello", 1, 0))).as("no node takes calls").isEmpty();
        assertThat(parked.parking()).contains("a");
        now.set(now.get().plusSeconds(30)); // both out now: still the one heard last
        assertThat(parked.parking()).contains("a");
    }

    private static NodeAnnouncement announcement(String id, long sequence, int freeSlots, long callMs) {
        List<NodeAnnouncement.WarmFunction> functions = callMs > 0
                ? List.of(new NodeAnnouncement.WarmFunction("hello", 1, 1, 0, 0, 0, callMs)) : List.of();
        return new NodeAnnouncement(id, URI.create("http://127.0.0.1:9100"), T0, sequence, T0, NodeAnnouncement.UP,
                new NodeAnnouncement.Capacity(4096, 0, freeSlots, 0, freeSlots), new NodeAnnouncement.Load(0, 0, 0),
                functions, Map.of());
    }
}

package io.cloudfunc.containers.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.containers.pool.ContainerSnapshot;
import io.cloudfunc.containers.pool.ContainerState;
import io.cloudfunc.containers.pool.FunctionKey;
import io.cloudfunc.contracts.messaging.NodeAnnouncement;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnnouncementsTests {

    private static final Instant NOW = Instant.parse("2026-12-07T20:00:00Z");
    private static final FunctionKey HELLO = new FunctionKey("hello", 2, "ab");
    private static final Announcements.Sizes SIZES = new Announcements.Sizes(4, 1024, 128);

    @Test
    void countsIdleBusyAndWaitingCallsPerFunctionVersion() {
        var announcement = of(List.of(
                container("1", HELLO, new ContainerState.Idle(NOW), 0, 128),
                container("2", HELLO, new ContainerState.Busy(NOW), 1, 128),
                container("3", null, new ContainerState.Prewarmed(NOW), 0, 128)), Map.of(HELLO, 2));
        assertThat(announcement.function("hello", 2))
                .isEqualTo(new NodeAnnouncement.WarmFunction("hello", 2, 1, 1, 1, 2, 40));
        assertThat(announcement.prewarmed()).containsExactly(Map.entry("python", 1));
        assertThat(announcement.load()).isEqualTo(new NodeAnnouncement.Load(1, 1, 2));
        assertThat(announcement.capacity().containers()).isEqualTo(3);
        assertThat(announcement.capacity().memoryUsedMb()).isEqualTo(384);
    }

    @Test
    void idleAndPrewarmedContainersCountAsFreeSlotsAndWaitingCallsTakeThem() {
        var idle = of(List.of(container("1", HELLO, new ContainerState.Idle(NOW), 0, 128),
                container("2", null, new ContainerState.Prewarmed(NOW), 0, 128)), Map.of());
        assertThat(idle.capacity().freeSlots()).isEqualTo(4);
        var full = of(List.of(container("1", HELLO, new ContainerState.Busy(NOW), 1, 128),
                container("2", HELLO, new ContainerState.Busy(NOW), 1, 128),
                container("3", HELLO, new ContainerState.Starting(NOW), 1, 128)), Map.of(HELLO, 3));
        assertThat(full.capacity().freeSlots()).isZero();
    }

    @Test
    void aContainerBeingRemovedDoesNotTakeASlot() {
        var announcement = of(List.of(container("1", HELLO, new ContainerState.Removing(
                io.cloudfunc.containers.pool.RemovalReason.EVICTED, NOW), 0, 128)), Map.of());
        assertThat(announcement.capacity().freeSlots()).isEqualTo(4);
    }

    @Test
    void memoryBoundsTheFreeSlots() {
        var announcement = of(List.of(container("1", HELLO, new ContainerState.Busy(NOW), 1, 900)), Map.of());
        assertThat(announcement.capacity().freeSlots()).isEqualTo(0); // 124 MB left: not one 128 MB container
    }

    private static NodeAnnouncement of(List<ContainerSnapshot> containers, Map<FunctionKey, Integer> waiting) {
        return Announcements.of("n1", URI.create("http://127.0.0.1:9100"), NOW, 1, NOW, NodeAnnouncement.UP,
                containers, waiting, Map.of(HELLO, 40L), SIZES);
    }

    private static ContainerSnapshot container(String key, FunctionKey function, ContainerState state, int calls,
                                               int memoryMb) {
        return new ContainerSnapshot(key, function, "python", state, Duration.ofMinutes(1), false, calls, 1,
                memoryMb, 0);
    }
}

package io.cloudfunc.containers.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PoolDecisionsTests {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String SHA_A = "a".repeat(64);
    private static final FunctionKey HELLO_V1 = new FunctionKey("hello", 1, SHA_A);
    private static final FunctionKey HELLO_V2 = new FunctionKey("hello", 2, SHA_A);
    private static final FunctionKey OTHER = new FunctionKey("other", 1, SHA_A);
    private static final Duration TTL = Duration.ofSeconds(60);

    @Test
    void startsNewContainerWhenFunctionHasNone() {
        Placement placement = PoolDecisions.place(HELLO_V1, List.of(idle("a", OTHER, 0)), 10);

        assertThat(placement).isEqualTo(new Placement.StartNew(List.of()));
    }

    @Test
    void reusesMostRecentlyUsedIdleContainerOfSameVersion() {
        List<ContainerSnapshot> pool = List.of(idle("old", HELLO_V1, 0), idle("recent", HELLO_V1, 30),
                idle("middle", HELLO_V1, 10));

        assertThat(PoolDecisions.place(HELLO_V1, pool, 10)).isEqualTo(new Placement.Reuse("recent"));
    }

    @Test
    void neverReusesAnotherVersionBusyRetiredOrStartingContainer() {
        List<ContainerSnapshot> pool = List.of(idle("v2", HELLO_V2, 0), busy("busy", HELLO_V1),
                retiredIdle("retired", HELLO_V1, 5), starting("starting", HELLO_V1),
                removing("removing", HELLO_V1));

        assertThat(PoolDecisions.place(HELLO_V1, pool, 10)).isEqualTo(new Placement.StartNew(List.of()));
    }

    @Test
    void neverReusesAContainerOfTheSameVersionNumberWithOtherCode() {
        // The function was deleted and deployed again: its new v1 is other code than the old v1.
        FunctionKey redeployed = new FunctionKey("hello", 1, "b".repeat(64));
        List<ContainerSnapshot> pool = List.of(idle("old-code", HELLO_V1, 0));

        assertThat(PoolDecisions.place(redeployed, pool, 10)).isEqualTo(new Placement.StartNew(List.of()));
        assertThat(PoolDecisions.place(redeployed, pool, 1)).isEqualTo(new Placement.StartNew(List.of("old-code")));
    }

    @Test
    void evictsLeastRecentlyUsedIdleContainerOfAnotherFunctionWhenFull() {
        List<ContainerSnapshot> pool = List.of(busy("b", HELLO_V1), idle("lru", OTHER, 1), idle("mru", OTHER, 9));

        assertThat(PoolDecisions.place(HELLO_V1, pool, 3)).isEqualTo(new Placement.StartNew(List.of("lru")));
    }

    @Test
    void evictsRetiredIdleContainerOfSameFunctionWhenFull() {
        List<ContainerSnapshot> pool = List.of(busy("b", HELLO_V1), retiredIdle("retired", HELLO_V1, 1));

        assertThat(PoolDecisions.place(HELLO_V1, pool, 2)).isEqualTo(new Placement.StartNew(List.of("retired")));
    }

    @Test
    void waitsWhenFullOfBusyOrStartingContainers() {
        List<ContainerSnapshot> pool = List.of(busy("a", HELLO_V1), starting("b", OTHER));

        assertThat(PoolDecisions.place(HELLO_V1, pool, 2)).isEqualTo(new Placement.Wait());
    }

    @Test
    void containersBeingRemovedDoNotCountAgainstCapacity() {
        List<ContainerSnapshot> pool = List.of(busy("a", HELLO_V1), removing("b", OTHER));

        assertThat(PoolDecisions.place(HELLO_V1, pool, 2)).isEqualTo(new Placement.StartNew(List.of()));
    }

    @Test
    void expiresIdleContainersAtTheirTtlAndNotBefore() {
        List<ContainerSnapshot> pool = List.of(idle("expired", HELLO_V1, 0), idle("fresh", HELLO_V1, 1),
                new ContainerSnapshot("short", OTHER, new ContainerState.Idle(T0.plusSeconds(55)),
                        Duration.ofSeconds(5), false));

        assertThat(PoolDecisions.expired(pool, T0.plus(TTL))).containsExactlyInAnyOrder("expired", "short");
        assertThat(PoolDecisions.expired(pool, T0.plus(TTL).minusMillis(1))).isEmpty();
    }

    @Test
    void expiresRetiredIdleContainersAtOnceButNeverBusyOnes() {
        List<ContainerSnapshot> pool = List.of(retiredIdle("retired", HELLO_V1, 0), busy("busy", HELLO_V1),
                new ContainerSnapshot("busy-retired", HELLO_V1, new ContainerState.Busy(UUID.randomUUID(), T0), TTL,
                        true));

        assertThat(PoolDecisions.expired(pool, T0.plusSeconds(1))).containsExactly("retired");
        assertThat(PoolDecisions.expired(pool, T0.plus(Duration.ofDays(1)))).containsExactly("retired");
    }

    @Test
    void deployRetiresOlderVersionsOfThatFunctionOnly() {
        var retired = PoolDecisions.retiredByDeploy("hello", 2);

        assertThat(retired.test(HELLO_V1)).isTrue();
        assertThat(retired.test(HELLO_V2)).isFalse();
        assertThat(retired.test(new FunctionKey("hello", 3, SHA_A))).isFalse();
        assertThat(retired.test(OTHER)).isFalse();
    }

    @Test
    void deletionRetiresEveryVersionOfThatFunctionOnly() {
        var retired = PoolDecisions.retiredByDeletion("hello");

        assertThat(retired.test(HELLO_V1)).isTrue();
        assertThat(retired.test(HELLO_V2)).isTrue();
        assertThat(retired.test(OTHER)).isFalse();
        assertThat(retired.test(new FunctionKey("hello-world", 1, SHA_A))).isFalse();
    }

    private static ContainerSnapshot idle(String key, FunctionKey function, int idleSinceSeconds) {
        return new ContainerSnapshot(key, function, new ContainerState.Idle(T0.plusSeconds(idleSinceSeconds)), TTL,
                false);
    }

    private static ContainerSnapshot retiredIdle(String key, FunctionKey function, int idleSinceSeconds) {
        return new ContainerSnapshot(key, function, new ContainerState.Idle(T0.plusSeconds(idleSinceSeconds)), TTL,
                true);
    }

    private static ContainerSnapshot busy(String key, FunctionKey function) {
        return new ContainerSnapshot(key, function, new ContainerState.Busy(UUID.randomUUID(), T0), TTL, false);
    }

    private static ContainerSnapshot starting(String key, FunctionKey function) {
        return new ContainerSnapshot(key, function, new ContainerState.Starting(T0), TTL, false);
    }

    private static ContainerSnapshot removing(String key, FunctionKey function) {
        return new ContainerSnapshot(key, function, new ContainerState.Removing(RemovalReason.IDLE_EXPIRED, T0), TTL,
                false);
    }
}

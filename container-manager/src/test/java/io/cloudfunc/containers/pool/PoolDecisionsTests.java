package io.cloudfunc.containers.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class PoolDecisionsTests {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String SHA_A = "a".repeat(64);
    private static final FunctionKey HELLO_V1 = new FunctionKey("hello", 1, SHA_A);
    private static final FunctionKey HELLO_V2 = new FunctionKey("hello", 2, SHA_A);
    private static final FunctionKey OTHER = new FunctionKey("other", 1, SHA_A);
    private static final FunctionKey THIRD = new FunctionKey("third", 1, SHA_A);
    private static final Duration TTL = Duration.ofSeconds(60);
    private static final NodeCapacity ROOMY = new NodeCapacity(100_000, 64);
    /** hello v1: 128 MB, at most 2 containers, one call each, may use a prewarmed python container. */
    private static final Demand HELLO = new Demand(HELLO_V1, "python", 128, 2, 1, true);

    // --- placement ---------------------------------------------------------------------------------------

    @Test
    void startsNewContainerWhenFunctionHasNone() {
        assertThat(PoolDecisions.place(HELLO, List.of(idle("a", OTHER, 0)), ROOMY))
                .isEqualTo(new Placement.StartNew(List.of()));
    }

    @Test
    void reusesMostRecentlyUsedIdleContainerOfSameVersion() {
        List<ContainerSnapshot> pool = List.of(idle("old", HELLO_V1, 0), idle("recent", HELLO_V1, 10),
                idle("middle", HELLO_V1, 5));

        assertThat(PoolDecisions.place(HELLO.withMax(5), pool, ROOMY)).isEqualTo(new Placement.Reuse("recent"));
    }

    @Test
    void packsCallsIntoTheBusiestContainerWithAFreeSlot() {
        Demand concurrent = new Demand(HELLO_V1, "python", 128, 5, 4, true);
        List<ContainerSnapshot> pool = List.of(idle("idle", HELLO_V1, 10), busy("one", HELLO_V1, 1, 4),
                busy("three", HELLO_V1, 3, 4), busy("full", HELLO_V1, 4, 4));

        assertThat(PoolDecisions.place(concurrent, pool, ROOMY)).isEqualTo(new Placement.Reuse("three"));
    }

    @Test
    void burstJoinsAStartingContainerWithAFreeSlotInsteadOfStartingAnother() {
        Demand concurrent = new Demand(HELLO_V1, "python", 128, 5, 2, true);

        assertThat(PoolDecisions.place(concurrent, List.of(starting("s", HELLO_V1, 1, 2)), ROOMY))
                .isEqualTo(new Placement.Reuse("s"));
        assertThat(PoolDecisions.place(concurrent, List.of(starting("s", HELLO_V1, 2, 2)), ROOMY))
                .isEqualTo(new Placement.StartNew(List.of()));
    }

    @Test
    void warmFunctionWithEveryContainerBusyWaitsForTheFirstFreeSlotWhileContainersStartForItsWaitingCalls() {
        Demand roomy = new Demand(HELLO_V1, "python", 128, 5, 1, true);
        List<ContainerSnapshot> pool = List.of(busy("b", HELLO_V1, 1, 1), starting("s", HELLO_V1, 0, 1));

        // one call waits and one container starts: the call takes whichever slot frees first
        assertThat(PoolDecisions.place(roomy, pool, ROOMY, 1))
                .isEqualTo(new Placement.Wait(Placement.Reason.SCALING_OUT));
        // two calls wait and one container starts: another one starts
        assertThat(PoolDecisions.place(roomy, pool, ROOMY, 2)).isEqualTo(new Placement.StartNew(List.of()));
        // nothing starts yet: the first container of the scale-out
        assertThat(PoolDecisions.place(roomy, List.of(busy("b", HELLO_V1, 1, 1)), ROOMY, 1))
                .isEqualTo(new Placement.StartNew(List.of()));
    }

    @Test
    void waitsOnceTheFunctionHasMaxInstancesWithEverySlotTaken() {
        List<ContainerSnapshot> pool = List.of(busy("b", HELLO_V1, 1, 1), starting("s", HELLO_V1, 1, 1),
                prewarmed("p", "python", 0));

        assertThat(PoolDecisions.place(HELLO, pool, ROOMY))
                .isEqualTo(new Placement.Wait(Placement.Reason.FUNCTION_AT_MAX));
    }

    @Test
    void neverReusesAnotherVersionRetiredOrRemovedContainer() {
        List<ContainerSnapshot> pool = List.of(idle("v2", HELLO_V2, 0), retiredIdle("retired", HELLO_V1, 0),
                removing("gone", HELLO_V1));

        assertThat(PoolDecisions.place(HELLO, pool, ROOMY)).isEqualTo(new Placement.StartNew(List.of()));
    }

    @Test
    void neverReusesAContainerOfTheSameVersionNumberWithOtherCode() {
        FunctionKey redeployed = new FunctionKey("hello", 1, "b".repeat(64));
        Demand demand = new Demand(redeployed, "python", 128, 2, 1, true);

        assertThat(PoolDecisions.place(demand, List.of(idle("old-code", HELLO_V1, 0)), ROOMY))
                .isEqualTo(new Placement.StartNew(List.of()));
    }

    @Test
    void takesTheOldestPrewarmedContainerOfItsRuntime() {
        List<ContainerSnapshot> pool = List.of(prewarmed("node", "node", 0), prewarmed("young", "python", 9),
                prewarmed("old", "python", 1));

        assertThat(PoolDecisions.place(HELLO, pool, ROOMY)).isEqualTo(new Placement.Specialise("old", List.of()));
    }

    @Test
    void functionThatCannotUseAGenericContainerStartsItsOwn() {
        Demand withNetwork = new Demand(HELLO_V1, "python", 128, 2, 1, false);

        assertThat(PoolDecisions.place(withNetwork, List.of(prewarmed("p", "python", 0)), ROOMY))
                .isEqualTo(new Placement.StartNew(List.of()));
    }

    @Test
    void prewarmedContainerCountsItsOwnMemoryUntilSpecialised() {
        // budget 384: other (128, busy) + prewarmed (128) = 256 used; hello needs 256, so 128 more than the prewarm
        NodeCapacity capacity = new NodeCapacity(384, 64);
        Demand big = new Demand(HELLO_V1, "python", 256, 2, 1, true);
        List<ContainerSnapshot> pool = List.of(busy("b", OTHER, 1, 1), prewarmed("p", "python", 0));

        assertThat(PoolDecisions.place(big, pool, capacity)).isEqualTo(new Placement.Specialise("p", List.of()));
    }

    @Test
    void fullBudgetEvictsLeastRecentlyUsedIdleContainersOfOtherFunctionsUntilTheCallFits() {
        NodeCapacity capacity = new NodeCapacity(512, 64); // 4 x 128 MB
        List<ContainerSnapshot> pool = List.of(idle("recent", OTHER, 30), idle("lru", OTHER, 10),
                idle("second-lru", THIRD, 20), busy("busy", THIRD, 1, 1));
        Demand big = new Demand(HELLO_V1, "python", 256, 2, 1, false);

        assertThat(PoolDecisions.place(big, pool, capacity))
                .isEqualTo(new Placement.StartNew(List.of("lru", "second-lru")));
    }

    @Test
    void fullContainerCountAlsoEvicts() {
        List<ContainerSnapshot> pool = List.of(idle("lru", OTHER, 0), idle("mru", OTHER, 5), busy("b", THIRD, 1, 1));

        assertThat(PoolDecisions.place(HELLO, pool, new NodeCapacity(100_000, 3)))
                .isEqualTo(new Placement.StartNew(List.of("lru")));
    }

    @Test
    void evictsARetiredIdleContainerOfTheSameFunction() {
        List<ContainerSnapshot> pool = List.of(busy("b", OTHER, 1, 1), retiredIdle("retired", HELLO_V1, 0));

        assertThat(PoolDecisions.place(HELLO, pool, new NodeCapacity(256, 64)))
                .isEqualTo(new Placement.StartNew(List.of("retired")));
    }

    @Test
    void neverEvictsAContainerItsFunctionNeedsForItsMinInstances() {
        ContainerSnapshot kept = new ContainerSnapshot("kept", OTHER, "python", new ContainerState.Idle(T0), TTL,
                false, 0, 1, 128, 1);
        List<ContainerSnapshot> pool = List.of(kept, busy("b", THIRD, 1, 1));

        assertThat(PoolDecisions.place(HELLO, pool, new NodeCapacity(256, 64)))
                .isEqualTo(new Placement.Wait(Placement.Reason.NODE_FULL));
    }

    @Test
    void waitsWhenTheBudgetIsFullOfBusyOrStartingContainers() {
        List<ContainerSnapshot> pool = List.of(busy("b", OTHER, 1, 1), starting("s", THIRD, 1, 1));

        assertThat(PoolDecisions.place(HELLO, pool, new NodeCapacity(256, 64)))
                .isEqualTo(new Placement.Wait(Placement.Reason.NODE_FULL));
    }

    @Test
    void containersBeingRemovedDoNotCountAgainstTheBudget() {
        List<ContainerSnapshot> pool = List.of(busy("b", OTHER, 1, 1), removing("gone", THIRD));

        assertThat(PoolDecisions.place(HELLO, pool, new NodeCapacity(256, 2)))
                .isEqualTo(new Placement.StartNew(List.of()));
    }

    @Test
    void functionBiggerThanTheWholeBudgetIsImpossible() {
        Demand huge = new Demand(HELLO_V1, "python", 4096, 2, 1, true);

        assertThat(PoolDecisions.place(huge, List.of(), new NodeCapacity(1024, 64)))
                .isInstanceOf(Placement.Impossible.class);
    }

    // --- expiry, minimums, prewarming ------------------------------------------------------------------------

    @Test
    void expiresIdleContainersAtTheirTtlAndNotBefore() {
        List<ContainerSnapshot> pool = List.of(idle("expired", HELLO_V1, 0), idle("fresh", OTHER, 30),
                new ContainerSnapshot("short", THIRD, "python", new ContainerState.Idle(T0.plusSeconds(50)),
                        Duration.ofSeconds(10), false, 0, 1, 128, 0));

        assertThat(PoolDecisions.expired(pool, T0.plus(TTL))).containsExactlyInAnyOrder("expired", "short");
        assertThat(PoolDecisions.expired(pool, T0.plus(TTL).minusMillis(1))).isEmpty();
    }

    @Test
    void expiresRetiredIdleContainersAtOnceButNeverBusyOrPrewarmedOnes() {
        List<ContainerSnapshot> pool = List.of(retiredIdle("retired", HELLO_V1, 0), busy("busy", OTHER, 1, 1),
                prewarmed("p", "python", 0));

        assertThat(PoolDecisions.expired(pool, T0.plusSeconds(1))).containsExactly("retired");
        assertThat(PoolDecisions.expired(pool, T0.plus(Duration.ofDays(1)))).containsExactly("retired");
    }

    @Test
    void idleExpiryNeverGoesBelowMinInstancesAndTakesTheOldestFirst() {
        List<ContainerSnapshot> pool = List.of(withMin(idle("old", HELLO_V1, 0), 2),
                withMin(idle("mid", HELLO_V1, 1), 2), withMin(idle("new", HELLO_V1, 2), 2));

        assertThat(PoolDecisions.expired(pool, T0.plus(Duration.ofDays(1)))).containsExactly("old");
    }

    @Test
    void functionBelowItsMinimumGetsTheMissingContainersStartingOnesIncluded() {
        List<ContainerSnapshot> pool = List.of(idle("i", HELLO_V1, 0), starting("s", HELLO_V1, 0, 1),
                retiredIdle("r", OTHER, 0));

        assertThat(PoolDecisions.belowMinimum(Map.of(HELLO_V1, 3, OTHER, 1), pool))
                .containsExactlyInAnyOrderEntriesOf(Map.of(HELLO_V1, 1, OTHER, 1));
        assertThat(PoolDecisions.belowMinimum(Map.of(HELLO_V1, 2), pool)).isEmpty();
    }

    @Test
    void prewarmTargetGrowsWithRecentColdStartsUpToItsMaxAndFallsBackWhenIdle() {
        assertThat(PoolDecisions.prewarmTarget(1, 3, 0)).isEqualTo(1);
        assertThat(PoolDecisions.prewarmTarget(1, 3, 1)).isEqualTo(2);
        assertThat(PoolDecisions.prewarmTarget(1, 3, 50)).isEqualTo(3);
        assertThat(PoolDecisions.prewarmTarget(0, 0, 50)).isZero();
    }

    @Test
    void prewarmShortfallAndSurplusPerRuntime() {
        List<ContainerSnapshot> pool = List.of(prewarmed("old", "python", 0), prewarmed("new", "python", 5),
                generic("starting", "python"), prewarmed("n", "node", 0), idle("i", HELLO_V1, 0));

        assertThat(PoolDecisions.prewarmShortfall(Map.of("python", 4, "node", 1, "java", 2), pool))
                .containsExactlyInAnyOrderEntriesOf(Map.of("python", 1, "java", 2));
        assertThat(PoolDecisions.prewarmSurplus(Map.of("python", 1, "node", 1), pool))
                .containsExactly("old", "new");
    }

    @Test
    void backgroundStartsOnlyWhatFitsWithoutEvicting() {
        List<ContainerSnapshot> pool = List.of(idle("i", OTHER, 0));

        assertThat(PoolDecisions.fits(128, pool, new NodeCapacity(256, 64))).isTrue();
        assertThat(PoolDecisions.fits(129, pool, new NodeCapacity(256, 64))).isFalse();
        assertThat(PoolDecisions.fits(128, pool, new NodeCapacity(256, 1))).isFalse();
    }

    // --- retirement ------------------------------------------------------------------------------------------

    @Test
    void deployRetiresOlderVersionsOfThatFunctionOnly() {
        Predicate<FunctionKey> retired = PoolDecisions.retiredByDeploy("hello", 2);

        assertThat(retired.test(HELLO_V1)).isTrue();
        assertThat(retired.test(HELLO_V2)).isFalse();
        assertThat(retired.test(OTHER)).isFalse();
    }

    @Test
    void deletionRetiresEveryVersionOfThatFunctionOnly() {
        Predicate<FunctionKey> retired = PoolDecisions.retiredByDeletion("hello");

        assertThat(retired.test(HELLO_V1)).isTrue();
        assertThat(retired.test(HELLO_V2)).isTrue();
        assertThat(retired.test(OTHER)).isFalse();
        assertThat(retired.test(new FunctionKey("hello-world", 1, SHA_A))).isFalse();
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private static ContainerSnapshot idle(String key, FunctionKey function, int idleSinceSeconds) {
        return new ContainerSnapshot(key, function, "python", new ContainerState.Idle(T0.plusSeconds(idleSinceSeconds)),
                TTL, false, 0, 1, 128, 0);
    }

    private static ContainerSnapshot retiredIdle(String key, FunctionKey function, int idleSinceSeconds) {
        return new ContainerSnapshot(key, function, "python", new ContainerState.Idle(T0.plusSeconds(idleSinceSeconds)),
                TTL, true, 0, 1, 128, 0);
    }

    private static ContainerSnapshot busy(String key, FunctionKey function, int calls, int concurrency) {
        return new ContainerSnapshot(key, function, "python", new ContainerState.Busy(T0), TTL, false, calls,
                concurrency, 128, 0);
    }

    private static ContainerSnapshot starting(String key, FunctionKey function, int calls, int concurrency) {
        return new ContainerSnapshot(key, function, "python", new ContainerState.Starting(T0), TTL, false, calls,
                concurrency, 128, 0);
    }

    private static ContainerSnapshot prewarmed(String key, String runtime, int sinceSeconds) {
        return new ContainerSnapshot(key, null, runtime, new ContainerState.Prewarmed(T0.plusSeconds(sinceSeconds)),
                Duration.ZERO, false, 0, 1, 128, 0);
    }

    private static ContainerSnapshot generic(String key, String runtime) {
        return new ContainerSnapshot(key, null, runtime, new ContainerState.Starting(T0), Duration.ZERO, false, 0, 1,
                128, 0);
    }

    private static ContainerSnapshot removing(String key, FunctionKey function) {
        return new ContainerSnapshot(key, function, "python",
                new ContainerState.Removing(RemovalReason.IDLE_EXPIRED, T0), TTL, false, 0, 1, 128, 0);
    }

    private static ContainerSnapshot withMin(ContainerSnapshot c, int min) {
        return new ContainerSnapshot(c.key(), c.function(), c.runtime(), c.state(), c.idleTtl(), c.retired(),
                c.calls(), c.concurrency(), c.memoryMb(), min);
    }
}

package io.cloudfunc.containers.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudfunc.containers.docker.ContainerEngine.ContainerStatus;
import io.cloudfunc.containers.runtime.RuntimeConnection;
import io.cloudfunc.containers.runtime.RuntimeFailure;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.StartType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** The pool's bookkeeping with a fake launcher: no Docker. */
class ContainerPoolTests {

    private final FakeLauncher launcher = new FakeLauncher();
    private final MutableClock clock = new MutableClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** Runs "background" removals inline so that tests see their effect at once. */
    private final ExecutorService inline = new java.util.concurrent.AbstractExecutorService() {
        private volatile boolean shutdown;

        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    };
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
        timer.shutdownNow();
    }

    @Test
    void firstCallStartsAContainerAndTheNextReusesIt() throws Exception {
        ContainerPool pool = pool(10);

        Lease first = pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code());
        pool.release(first);
        Lease second = pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code());

        assertThat(first.startType()).isEqualTo(StartType.COLD);
        assertThat(second.startType()).isEqualTo(StartType.WARM);
        assertThat(second.container().key()).isEqualTo(first.container().key());
        assertThat(launcher.launched).hasSize(1);
        assertThat(meters.counter("cloudfunc.container.starts", "type", "warm").count()).isEqualTo(1);
        assertThat(meters.timer("cloudfunc.container.start", "type", "cold").count()).isEqualTo(1);
    }

    @Test
    void overlappingCallsGetTheirOwnContainers() throws Exception {
        ContainerPool pool = pool(10);

        Lease first = pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code());
        Lease second = pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code());

        assertThat(second.container().key()).isNotEqualTo(first.container().key());
        assertThat(pool.count("busy")).isEqualTo(2);
    }

    @Test
    void callOfAWarmFunctionWhoseContainersAreBusyTakesTheFirstThatFreesWhileANewOneStartsInTheBackground()
            throws Exception {
        ContainerPool pool = new ContainerPool(launcher, threads, clock, new PoolSettings(
                new NodeCapacity(1_000_000, 10), Duration.ofSeconds(5), Duration.ofSeconds(60), 16, Map.of(), 128,
                Duration.ofSeconds(60)), f -> Path.of("/code"), meters);
        FunctionVersionView hello = function("hello", 1, 60_000);
        Lease first = pool.acquire(hello, UUID.randomUUID(), code());
        var slowStart = new CountDownLatch(1);
        launcher.proceed = slowStart;

        var second = threads.submit(() -> pool.acquire(hello, UUID.randomUUID(), code()));
        awaitWaiting(pool, hello, 1);
        awaitCount(pool, "starting", 1);
        pool.release(first);
        Lease served = second.get(5, TimeUnit.SECONDS);

        assertThat(served.container().key()).isEqualTo(first.container().key());
        assertThat(served.startType()).isEqualTo(StartType.WARM);
        slowStart.countDown();
        awaitCount(pool, "idle", 1); // the scale-out's container, up and bound to no call
        assertThat(launcher.launched).hasSize(2);
    }

    @Test
    void codeIsOnlyAskedForOnColdStarts() throws Exception {
        ContainerPool pool = pool(10);
        int[] asked = {0};
        Supplier<Path> code = () -> {
            asked[0]++;
            return Path.of("/code");
        };

        pool.release(pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code));
        pool.release(pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code));

        assertThat(asked[0]).isEqualTo(1);
    }

    @Test
    void idleContainerIsRemovedOnceItsTtlHasPassed() throws Exception {
        ContainerPool pool = pool(10);
        pool.release(pool.acquire(function("hello", 1, 5_000), UUID.randomUUID(), code()));

        clock.advance(Duration.ofMillis(4_999));
        int beforeTtl = pool.expire();
        clock.advance(Duration.ofMillis(1));
        int atTtl = pool.expire();

        assertThat(beforeTtl).isZero();
        assertThat(atTtl).isEqualTo(1);
        assertThat(pool.snapshot()).isEmpty();
        assertThat(launcher.destroyed).hasSize(1);
        assertThat(meters.counter("cloudfunc.container.removals", "reason", "idle-expired").count()).isEqualTo(1);
    }

    @Test
    void everyCallResetsTheIdleTtl() throws Exception {
        ContainerPool pool = pool(10);
        pool.release(pool.acquire(function("hello", 1, 5_000), UUID.randomUUID(), code()));
        clock.advance(Duration.ofSeconds(4));
        pool.release(pool.acquire(function("hello", 1, 5_000), UUID.randomUUID(), code()));
        clock.advance(Duration.ofSeconds(4));

        assertThat(pool.expire()).isZero();
        assertThat(pool.count("idle")).isEqualTo(1);
    }

    @Test
    void functionWithoutIdleTtlGetsTheDefault() throws Exception {
        ContainerPool pool = pool(10);
        pool.release(pool.acquire(function("hello", 1, 0), UUID.randomUUID(), code()));

        clock.advance(Duration.ofSeconds(59));
        int early = pool.expire();
        clock.advance(Duration.ofSeconds(1));

        assertThat(early).isZero();
        assertThat(pool.expire()).isEqualTo(1);
    }

    @Test
    void deletionRemovesIdleContainersNowAndBusyOnesAfterTheirCall() throws Exception {
        ContainerPool pool = pool(10);
        Lease idle = pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code());
        Lease busy = pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code());
        Lease other = pool.acquire(function("other", 1, 60_000), UUID.randomUUID(), code());
        pool.release(idle);
        pool.release(other);

        pool.retire(PoolDecisions.retiredByDeletion("hello"), "deleted");
        Set<String> afterRetire = keys(pool);
        pool.release(busy);

        assertThat(afterRetire).containsExactlyInAnyOrder(busy.container().key(), other.container().key());
        assertThat(keys(pool)).containsExactly(other.container().key());
    }

    @Test
    void retiredContainerIsNeverHandedOutAgain() throws Exception {
        ContainerPool pool = pool(10);
        Lease busy = pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code());
        pool.retire(PoolDecisions.retiredByDeploy("hello", 2), "v2 deployed");
        pool.release(busy);

        Lease next = pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code());

        assertThat(next.startType()).isEqualTo(StartType.COLD);
        assertThat(next.container().key()).isNotEqualTo(busy.container().key());
    }

    @Test
    void fullPoolEvictsTheLeastRecentlyUsedIdleContainerOfAnotherFunction() throws Exception {
        ContainerPool pool = pool(2);
        Lease a = pool.acquire(function("a", 1, 60_000), UUID.randomUUID(), code());
        Lease b = pool.acquire(function("b", 1, 60_000), UUID.randomUUID(), code());
        pool.release(a);
        clock.advance(Duration.ofSeconds(1));
        pool.release(b);

        Lease c = pool.acquire(function("c", 1, 60_000), UUID.randomUUID(), code());

        assertThat(keys(pool)).containsExactlyInAnyOrder(b.container().key(), c.container().key());
        assertThat(launcher.destroyed).containsExactly(a.container().key());
    }

    @Test
    void fullPoolOfBusyContainersMakesTheCallWaitForOne() throws Exception {
        ContainerPool pool = pool(1, Duration.ofSeconds(5));
        Lease busy = pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code());

        Future<Lease> waiting = threads.submit(() -> pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(),
                code()));
        Thread.sleep(100);
        boolean waitedWhileBusy = !waiting.isDone();
        pool.release(busy);
        Lease served = waiting.get(2, TimeUnit.SECONDS);

        assertThat(waitedWhileBusy).isTrue();
        assertThat(served.startType()).isEqualTo(StartType.WARM);
    }

    @Test
    void callFailsWhenNoCapacityFreesUpInTime() throws Exception {
        ContainerPool pool = pool(1, Duration.ofMillis(50));
        pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code());

        assertThatThrownBy(() -> pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code()))
                .isInstanceOfSatisfying(NoContainerException.class, e -> {
                    assertThat(e.error().type()).isEqualTo("CapacityExhausted");
                    assertThat(e.kind()).isEqualTo(ErrorKind.PLATFORM);
                });
    }

    @Test
    void failedColdStartLeavesNothingInThePool() {
        ContainerPool pool = pool(10);
        launcher.failWith = new NoContainerException(FunctionError.of("ModuleNotFoundError", "No module named 'x'"),
                ErrorKind.FUNCTION, StartType.COLD, null);

        assertThatThrownBy(() -> pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code()))
                .isSameAs(launcher.failWith);
        assertThat(pool.snapshot()).isEmpty();
    }

    @Test
    void discardedContainerIsGoneWhenDiscardReturns() throws Exception {
        ContainerPool pool = pool(10);
        Lease lease = pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code());

        pool.discard(lease, RemovalReason.TIMED_OUT);

        assertThat(pool.snapshot()).isEmpty();
        assertThat(launcher.destroyed).containsExactly(lease.container().key());
        assertThat(meters.counter("cloudfunc.container.removals", "reason", "timed-out").count()).isEqualTo(1);
    }

    @Test
    void shutdownRemovesEveryContainerAndRefusesNewCalls() throws Exception {
        ContainerPool pool = pool(10);
        pool.release(pool.acquire(function("idle", 1, 60_000), UUID.randomUUID(), code()));
        Lease busy = pool.acquire(function("busy", 1, 60_000), UUID.randomUUID(), code());
        threads.submit(() -> {
            Thread.sleep(100);
            pool.release(busy);
            return null;
        });

        pool.shutdown(Duration.ofSeconds(5));

        assertThat(pool.snapshot()).isEmpty();
        assertThat(launcher.destroyed).hasSize(2);
        assertThatThrownBy(() -> pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code()))
                .isInstanceOf(NoContainerException.class);
    }

    @Test
    void gaugeCountsContainersByState() throws Exception {
        ContainerPool pool = pool(10);
        pool.release(pool.acquire(function("a", 1, 60_000), UUID.randomUUID(), code()));
        pool.acquire(function("b", 1, 60_000), UUID.randomUUID(), code());

        pool.refreshGauges();

        assertThat(meters.get("cloudfunc.containers").tags("function", "a", "state", "idle").gauge().value())
                .isEqualTo(1);
        assertThat(meters.get("cloudfunc.containers").tags("function", "b", "state", "busy").gauge().value())
                .isEqualTo(1);
        assertThat(meters.find("cloudfunc.containers").tags("function", "a", "state", "busy").gauge()).isNull();
    }

    @Test
    void containerWithOtherCodeUnderTheSameVersionIsNeverReused() throws Exception {
        ContainerPool pool = pool(10);
        pool.release(pool.acquire(function("hello", 1, 60_000, "a".repeat(64)), UUID.randomUUID(), code()));

        // deleted and deployed again: version numbers restart, so v1 is now other code
        Lease redeployed = pool.acquire(function("hello", 1, 60_000, "b".repeat(64)), UUID.randomUUID(), code());

        assertThat(redeployed.startType()).isEqualTo(StartType.COLD);
        assertThat(launcher.launched).hasSize(2);
        assertThat(redeployed.container().function().codeSha256()).isEqualTo("b".repeat(64));
    }

    @Test
    void releasedContainerWhoseConnectionWasClosedIsRemovedNotKeptIdle(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("runtime.sock");
        try (ServerSocketChannel runtime = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            runtime.bind(UnixDomainSocketAddress.of(socket));
            launcher.connections = () -> {
                try {
                    return RuntimeConnection.open(socket, Duration.ofSeconds(2), Duration.ofMillis(2), () -> true,
                            1024, JsonMapper.builder().build(), timer);
                } catch (RuntimeFailure e) {
                    throw new IllegalStateException(e);
                }
            };
            ContainerPool pool = pool(10);
            Lease lease = pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code());
            lease.connection().close(); // e.g. a time limit that went off as the answer came in

            pool.release(lease);

            assertThat(pool.snapshot()).isEmpty();
            assertThat(launcher.destroyed).containsExactly(lease.container().key());
            assertThat(meters.counter("cloudfunc.container.removals", "reason", "failed").count()).isEqualTo(1);
        }
    }

    @Test
    void shutdownDuringAColdStartRemovesTheContainerOnceItExists() throws Exception {
        ContainerPool pool = pool(10);
        launcher.proceed = new CountDownLatch(1);
        Future<Lease> starting = threads.submit(() -> pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(),
                code()));
        assertThat(launcher.launching.await(5, TimeUnit.SECONDS)).isTrue();

        Future<?> stopping = threads.submit(() -> pool.shutdown(Duration.ofMillis(50)));
        awaitCount(pool, "removing", 1); // shutdown gave up waiting for the cold start
        launcher.proceed.countDown(); // now Docker has the container

        assertThatThrownBy(() -> starting.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(NoContainerException.class)
                .hasMessageContaining("shutting down");
        stopping.get(5, TimeUnit.SECONDS);
        assertThat(launcher.launched).hasSize(1);
        assertThat(launcher.alive).as("containers left running").isEmpty();
        assertThat(pool.snapshot()).isEmpty();
    }

    @Test
    void burstOnOneFunctionIsServedInArrivalOrderWithNeverMoreThanMaxInstances() throws Exception {
        ContainerPool pool = pool(10, Duration.ofSeconds(5));
        FunctionVersionView limited = function("hello", 1, 60_000, "0".repeat(64), 2, 1, 0);
        Lease first = pool.acquire(limited, UUID.randomUUID(), code());
        Lease second = pool.acquire(limited, UUID.randomUUID(), code());
        List<Integer> served = new CopyOnWriteArrayList<>();
        List<Future<?>> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            waiting.add(threads.submit(() -> {
                Lease lease = pool.acquire(limited, UUID.randomUUID(), code());
                served.add(n);
                pool.release(lease);
                return null;
            }));
            awaitWaiting(pool, limited, i + 1); // arrival order is known
        }
        boolean noneServedWhileFull = served.isEmpty();

        pool.release(first); // one container frees up: the waiting calls pass through it one after the other
        for (Future<?> call : waiting) {
            call.get(5, TimeUnit.SECONDS);
        }
        pool.release(second);

        assertThat(noneServedWhileFull).isTrue();
        assertThat(served).containsExactly(0, 1, 2, 3);
        assertThat(launcher.launched).hasSize(2);
    }

    @Test
    void anotherFunctionIsServedWhileOneWaitsAtItsMaximum() throws Exception {
        ContainerPool pool = pool(10, Duration.ofSeconds(5));
        FunctionVersionView limited = function("hello", 1, 60_000, "0".repeat(64), 1, 1, 0);
        Lease busy = pool.acquire(limited, UUID.randomUUID(), code());
        Future<Lease> waiting = threads.submit(() -> pool.acquire(limited, UUID.randomUUID(), code()));
        awaitWaiting(pool, limited, 1);

        Lease other = pool.acquire(function("other", 1, 60_000), UUID.randomUUID(), code());

        assertThat(other.startType()).isEqualTo(StartType.COLD);
        assertThat(waiting.isDone()).isFalse();
        pool.release(busy);
        assertThat(waiting.get(5, TimeUnit.SECONDS).startType()).isEqualTo(StartType.WARM);
    }

    @Test
    void callsBeyondTheWaitLimitOfAFunctionAreRefusedForTheBrokerToKeep() throws Exception {
        ContainerPool pool = new ContainerPool(launcher, inline, clock, new PoolSettings(new NodeCapacity(100_000, 10),
                Duration.ofSeconds(5), Duration.ofSeconds(60), 1, Map.of(), 128, Duration.ofSeconds(60)),
                f -> Path.of("/code"), meters);
        FunctionVersionView limited = function("hello", 1, 60_000, "0".repeat(64), 1, 1, 0);
        Lease busy = pool.acquire(limited, UUID.randomUUID(), code());
        Future<Lease> waiting = threads.submit(() -> pool.acquire(limited, UUID.randomUUID(), code()));
        awaitWaiting(pool, limited, 1);

        assertThatThrownBy(() -> pool.acquire(limited, UUID.randomUUID(), code()))
                .isInstanceOf(ContainerPool.WaitQueueFullException.class);
        pool.release(busy);
        assertThat(waiting.get(5, TimeUnit.SECONDS).startType()).isEqualTo(StartType.WARM);
    }

    @Test
    void concurrentCallsShareAContainerUpToItsConcurrency() throws Exception {
        ContainerPool pool = pool(10);
        FunctionVersionView shared = function("hello", 1, 60_000, "0".repeat(64), 10, 2, 0);

        Lease a = pool.acquire(shared, UUID.randomUUID(), code());
        Lease b = pool.acquire(shared, UUID.randomUUID(), code());
        Lease c = pool.acquire(shared, UUID.randomUUID(), code());

        assertThat(b.container()).isSameAs(a.container());
        assertThat(b.startType()).isEqualTo(StartType.WARM);
        assertThat(c.container()).isNotSameAs(a.container());
        assertThat(launcher.launched).hasSize(2);
        pool.release(a);
        assertThat(pool.count("busy")).isEqualTo(2);
        pool.release(b);
        assertThat(pool.count("idle")).isEqualTo(1);
    }

    @Test
    void coldCallTakesAPrewarmedContainerAndThePoolRefillsInTheBackground() throws Exception {
        ContainerPool pool = pool(new NodeCapacity(100_000, 10), Duration.ofSeconds(1),
                Map.of("python", new PoolSettings.Prewarm(1, 2)));
        pool.maintain();
        assertThat(pool.count("prewarmed")).isEqualTo(1);
        String prewarmed = launcher.launched.getFirst();

        Lease lease = pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code());

        assertThat(lease.startType()).isEqualTo(StartType.PREWARMED);
        assertThat(lease.container().key()).isEqualTo(prewarmed);
        assertThat(launcher.specialised).containsExactly(prewarmed);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(pool.count("prewarmed")).as("refilled soon").isEqualTo(1));
        assertThat(meters.counter("cloudfunc.container.starts", "type", "prewarmed").count()).isEqualTo(1);
    }

    @Test
    void functionWithNetworkNeverTakesAPrewarmedContainer() throws Exception {
        ContainerPool pool = pool(new NodeCapacity(100_000, 10), Duration.ofSeconds(1),
                Map.of("python", new PoolSettings.Prewarm(1, 1)));
        pool.maintain();
        FunctionVersionView online = new FunctionVersionView("online", 1, "python", "function.handler", 1000, 128,
                60_000, Map.of(), 0, 10, 1, "outbound", null, null, 0, 1000L, "0".repeat(64), 10, Instant.EPOCH, java.util.List.of());

        Lease lease = pool.acquire(online, UUID.randomUUID(), code());

        assertThat(lease.startType()).isEqualTo(StartType.COLD);
        assertThat(launcher.specialised).isEmpty();
        assertThat(pool.count("prewarmed")).isEqualTo(1);
    }

    @Test
    void aRuntimeWhoseHeapIsSizedAtStartGivesItsPrewarmedContainersOnlyToFunctionsOfThePrewarmMemory()
            throws Exception {
        ContainerPool pool = pool(new NodeCapacity(100_000, 10), Duration.ofSeconds(1),
                Map.of("java", new PoolSettings.Prewarm(1, 1, false)));
        pool.maintain();
        FunctionVersionView big = new FunctionVersionView("big", 1, "java", "com.example.Hello", 1000, 256, 60_000,
                Map.of(), 0, 10, 1, "none", null, null, 0, 1000L, "0".repeat(64), 10, Instant.EPOCH,
                java.util.List.of());
        FunctionVersionView fitting = new FunctionVersionView("fitting", 1, "java", "com.example.Hello", 1000, 128,
                60_000, Map.of(), 0, 10, 1, "none", null, null, 0, 1000L, "0".repeat(64), 10, Instant.EPOCH,
                java.util.List.of());

        Lease cold = pool.acquire(big, UUID.randomUUID(), code());
        Lease prewarmed = pool.acquire(fitting, UUID.randomUUID(), code());

        assertThat(cold.startType()).isEqualTo(StartType.COLD);
        assertThat(prewarmed.startType()).isEqualTo(StartType.PREWARMED);
        assertThat(launcher.specialised).hasSize(1);
    }

    @Test
    void prewarmTargetRisesWithColdStartsThatFoundNoneAndFallsBackOnceTheyStop() throws Exception {
        ContainerPool pool = pool(new NodeCapacity(100_000, 10), Duration.ofSeconds(1),
                Map.of("python", new PoolSettings.Prewarm(0, 2)));
        pool.release(pool.acquire(function("a", 1, 60_000), UUID.randomUUID(), code()));
        pool.release(pool.acquire(function("b", 1, 60_000), UUID.randomUUID(), code()));

        pool.maintain();
        int afterColdStarts = pool.count("prewarmed");
        clock.advance(Duration.ofSeconds(61));
        pool.maintain();

        assertThat(afterColdStarts).isEqualTo(2);
        assertThat(pool.count("prewarmed")).isZero();
    }

    @Test
    void minInstancesAreStartedInTheBackgroundAndNeverExpire() throws Exception {
        ContainerPool pool = pool(10);
        FunctionVersionView kept = function("kept", 1, 5_000, "0".repeat(64), 10, 1, 2);
        pool.keepWarm(kept);

        pool.maintain();
        clock.advance(Duration.ofHours(1));
        pool.expire();

        assertThat(pool.count("idle")).isEqualTo(2);
        assertThat(pool.acquire(kept, UUID.randomUUID(), code()).startType()).isEqualTo(StartType.WARM);
        pool.dropMinimum("kept");
        pool.retire(PoolDecisions.retiredByDeletion("kept"), "deleted");
        pool.maintain();
        assertThat(pool.count("idle")).isZero();
    }

    @Test
    void fullMemoryBudgetEvictsTheLeastRecentlyUsedIdleContainerOfAnotherFunction() throws Exception {
        ContainerPool pool = pool(new NodeCapacity(256, 64), Duration.ofSeconds(1), Map.of());
        Lease a = pool.acquire(function("a", 1, 60_000), UUID.randomUUID(), code());
        Lease b = pool.acquire(function("b", 1, 60_000), UUID.randomUUID(), code());
        pool.release(a);
        clock.advance(Duration.ofSeconds(1));
        pool.release(b);

        pool.acquire(function("c", 1, 60_000), UUID.randomUUID(), code());

        assertThat(launcher.destroyed).containsExactly(a.container().key());
        assertThat(meters.counter("cloudfunc.container.evictions").count()).isEqualTo(1);
    }

    @Test
    void oneShotReservationsCountInTheBudgetEvictIdleContainersCountTheirStartAndGiveTheirRoomBackWhenClosed() throws Exception {
        ContainerPool pool = pool(new NodeCapacity(256, 64), Duration.ofMillis(200), Map.of());
        Lease idle = pool.acquire(function("pooled", 1, 60_000), UUID.randomUUID(), code());
        pool.release(idle);

        ContainerPool.Reservation first = pool.reserve(function("image", 1, 60_000));
        ContainerPool.Reservation second = pool.reserve(function("image", 1, 60_000));

        assertThat(launcher.destroyed).as("the idle container made room").containsExactly(idle.container().key());
        assertThat(launcher.launched).as("a reservation starts nothing").hasSize(1);
        assertThat(pool.count("busy")).isEqualTo(2);
        assertThat(meters.counter("cloudfunc.container.starts", "type", "cold").count())
                .as("a reservation alone is no start").isEqualTo(1);
        first.started();
        assertThat(meters.counter("cloudfunc.container.starts", "type", "cold").count())
                .as("its container ran: a cold start").isEqualTo(2);
        assertThatThrownBy(() -> pool.acquire(function("other", 1, 60_000), UUID.randomUUID(), code()))
                .isInstanceOfSatisfying(NoContainerException.class,
                        e -> assertThat(e.error().type()).isEqualTo("CapacityExhausted"));
        first.close();
        second.close();
        assertThat(pool.snapshot()).isEmpty();
        assertThat(pool.acquire(function("other", 1, 60_000), UUID.randomUUID(), code()).startType())
                .isEqualTo(StartType.COLD);
    }

    @Test
    void containersDockerNoLongerRunsAreRemovedAndAnUnreachableEngineIsSurvived() throws Exception {
        ContainerPool pool = pool(10);
        Lease lease = pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code());
        pool.release(lease);

        launcher.engineDown = true; // the Docker daemon restarts: every call to it fails
        int whileDown = pool.reconcile();
        launcher.failWith = NoContainerException.platform("PlatformError", "the Docker engine does not answer", null);
        assertThatThrownBy(() -> pool.acquire(function("other", 1, 60_000), UUID.randomUUID(), code()))
                .isInstanceOf(NoContainerException.class);
        launcher.engineDown = false; // back, without the containers it ran
        launcher.failWith = null;
        launcher.alive.clear();
        int afterRestart = pool.reconcile();
        Lease next = pool.acquire(function("hello", 1, 60_000), UUID.randomUUID(), code());

        assertThat(whileDown).isZero();
        assertThat(afterRestart).isEqualTo(1);
        assertThat(next.startType()).isEqualTo(StartType.COLD);
        assertThat(next.container().key()).isNotEqualTo(lease.container().key());
    }

    private static void awaitWaiting(ContainerPool pool, FunctionVersionView function, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.waiting(FunctionKey.of(function)) != count && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(pool.waiting(FunctionKey.of(function))).isEqualTo(count);
    }

    private static void awaitCount(ContainerPool pool, String state, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.count(state) != count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(pool.count(state)).isEqualTo(count);
    }

    private ContainerPool pool(int maxContainers) {
        return pool(maxContainers, Duration.ofSeconds(1));
    }

    private ContainerPool pool(int maxContainers, Duration capacityWait) {
        return pool(new NodeCapacity(1_000_000, maxContainers), capacityWait, Map.of());
    }

    private ContainerPool pool(NodeCapacity capacity, Duration capacityWait,
                               Map<String, PoolSettings.Prewarm> prewarm) {
        return new ContainerPool(launcher, inline, clock, new PoolSettings(capacity, capacityWait,
                Duration.ofSeconds(60), 16, prewarm, 128, Duration.ofSeconds(60)), f -> Path.of("/code"), meters);
    }

    private static Set<String> keys(ContainerPool pool) {
        return pool.snapshot().stream().map(ContainerSnapshot::key).collect(java.util.stream.Collectors.toSet());
    }

    private static Supplier<Path> code() {
        return () -> Path.of("/code");
    }

    private static FunctionVersionView function(String name, int version, long idleTtlMs) {
        return function(name, version, idleTtlMs, "0".repeat(64));
    }

    private static FunctionVersionView function(String name, int version, long idleTtlMs, String codeSha256) {
        return function(name, version, idleTtlMs, codeSha256, 10, 1, 0);
    }

    private static FunctionVersionView function(String name, int version, long idleTtlMs, String codeSha256,
                                                int maxInstances, int concurrency, int minInstances) {
        return new FunctionVersionView(name, version, "python", "function.handler", 1000, 128, idleTtlMs, Map.of(),
                minInstances, maxInstances, concurrency, "none", null, null, 0, 1000L, codeSha256, 10, Instant.EPOCH,
                java.util.List.of());
    }

    private static final class FakeLauncher implements ContainerLauncher {

        final List<String> launched = new CopyOnWriteArrayList<>();
        final List<String> destroyed = new CopyOnWriteArrayList<>();
        final List<String> specialised = new CopyOnWriteArrayList<>();
        volatile boolean engineDown;
        /** Keys of containers that exist "in Docker": launched and not destroyed. */
        final Set<String> alive = ConcurrentHashMap.newKeySet();
        volatile NoContainerException failWith;
        /** When set, a launch waits for it before the container exists: a slow cold start. */
        volatile CountDownLatch proceed;
        final CountDownLatch launching = new CountDownLatch(1);
        /** The connection each container gets (null: none, the pool does not talk to runtimes). */
        volatile Supplier<RuntimeConnection> connections = () -> null;

        @Override
        public LaunchedContainer launch(String key, FunctionVersionView function, Supplier<Path> code)
                throws NoContainerException {
            code.get();
            if (failWith != null) {
                throw failWith;
            }
            launching.countDown();
            CountDownLatch gate = proceed;
            if (gate != null) {
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            launched.add(key);
            alive.add(key);
            return new LaunchedContainer("id-" + key, Path.of("/containers", key), connections.get());
        }

        @Override
        public LaunchedContainer launchGeneric(String key, String runtime) throws NoContainerException {
            if (failWith != null) {
                throw failWith;
            }
            launched.add(key);
            alive.add(key);
            return new LaunchedContainer("id-" + key, Path.of("/containers", key), connections.get());
        }

        @Override
        public LaunchedContainer specialise(String key, LaunchedContainer generic, FunctionVersionView function,
                                            Supplier<Path> code) throws NoContainerException {
            code.get();
            specialised.add(key);
            return generic;
        }

        @Override
        public Set<String> runningKeys() {
            if (engineDown) {
                throw new io.cloudfunc.containers.docker.ContainerEngineException("the Docker engine does not answer",
                        null);
            }
            return Set.copyOf(alive);
        }

        @Override
        public void destroy(String key, LaunchedContainer container) {
            destroyed.add(key);
            if (container != null) { // as Docker: without a launched container only the directory goes
                alive.remove(key);
            }
        }

        @Override
        public Optional<ContainerStatus> exitStatus(LaunchedContainer container) {
            return Optional.empty();
        }
    }

    private static final class MutableClock extends Clock {

        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}

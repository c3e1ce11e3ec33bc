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
        assertThat(meters.timer("cloudfunc.container.cold.start").count()).isEqualTo(1);
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
        ContainerPool pool = new ContainerPool(launcher, inline, clock, 1, Duration.ofSeconds(5),
                Duration.ofSeconds(60), meters);
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
        ContainerPool pool = new ContainerPool(launcher, inline, clock, 1, Duration.ofMillis(50),
                Duration.ofSeconds(60), meters);
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

        assertThat(meters.get("cloudfunc.containers").tag("state", "idle").gauge().value()).isEqualTo(1);
        assertThat(meters.get("cloudfunc.containers").tag("state", "busy").gauge().value()).isEqualTo(1);
        assertThat(meters.get("cloudfunc.containers").tag("state", "starting").gauge().value()).isZero();
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
            lease.container().connection().close(); // e.g. a time limit that went off as the answer came in

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

    private static void awaitCount(ContainerPool pool, String state, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.count(state) != count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(pool.count(state)).isEqualTo(count);
    }

    private ContainerPool pool(int maxContainers) {
        return new ContainerPool(launcher, inline, clock, maxContainers, Duration.ofSeconds(1), Duration.ofSeconds(60),
                meters);
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
        return new FunctionVersionView(name, version, "python", "function.handler", 1000, 128, idleTtlMs, Map.of(),
                codeSha256, 10, Instant.EPOCH);
    }

    private static final class FakeLauncher implements ContainerLauncher {

        final List<String> launched = new CopyOnWriteArrayList<>();
        final List<String> destroyed = new CopyOnWriteArrayList<>();
        /** Keys of containers that exist "in Docker": launched and not destroyed. */
        final Set<String> alive = ConcurrentHashMap.newKeySet();
        NoContainerException failWith;
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

package io.cloudfunc.containers.invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.registry.RegistryRejectedException;
import io.cloudfunc.containers.registry.RegistryUnavailableException;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batching of final records against a fake registry: who shares a request, and what each caller is told. */
class CompletionWriterTests {

    /** The fake registry: every batch request it received, in order. */
    private final List<List<InvocationCompleted>> batches = Collections.synchronizedList(new ArrayList<>());
    private final List<InvocationCompleted> singles = Collections.synchronizedList(new ArrayList<>());
    private CompletionWriter writer;

    @AfterEach
    void stop() {
        if (writer != null) {
            writer.destroy();
        }
    }

    @Test
    void concurrentCompletionsShareOneRequestAndEachCallerReturnsOnceItIsWritten() throws Exception {
        writer = new CompletionWriter(batches::add, singles::add, settings(Duration.ofMillis(500), 8, 1));
        List<InvocationCompleted> completions = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            completions.add(completed());
        }

        try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            var done = completions.stream()
                    .map(c -> CompletableFuture.runAsync(() -> writer.write(c), callers)).toList();
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        }

        // The linger is long and the batch holds 8: the eight completions go in one request.
        assertThat(batches).hasSize(1);
        assertThat(batches.getFirst()).containsExactlyInAnyOrderElementsOf(completions);
        assertThat(singles).isEmpty();
    }

    @Test
    void aFullBatchIsSentWithoutWaitingForTheLinger() throws Exception {
        writer = new CompletionWriter(batches::add, singles::add, settings(Duration.ofMinutes(5), 2, 1));

        try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            var first = CompletableFuture.runAsync(() -> writer.write(completed()), callers);
            var second = CompletableFuture.runAsync(() -> writer.write(completed()), callers);
            CompletableFuture.allOf(first, second).get(10, TimeUnit.SECONDS);
        }

        assertThat(batches).hasSize(1);
        assertThat(batches.getFirst()).hasSize(2);
    }

    @Test
    void aLoneCompletionIsSentAfterTheLinger() {
        writer = new CompletionWriter(batches::add, singles::add, settings(Duration.ofMillis(5), 64, 1));
        InvocationCompleted alone = completed();

        writer.write(alone);

        assertThat(batches).containsExactly(List.of(alone));
    }

    @Test
    void anUnreachableRegistryFailsEveryCompletionOfTheBatch() throws Exception {
        var release = new CountDownLatch(1);
        writer = new CompletionWriter(batch -> {
            await(release);
            throw new RegistryUnavailableException("registry down", null);
        }, singles::add, settings(Duration.ofMillis(200), 2, 1));

        List<AtomicReference<Throwable>> failures = List.of(new AtomicReference<>(), new AtomicReference<>());
        try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (AtomicReference<Throwable> failure : failures) {
                callers.submit(() -> {
                    try {
                        writer.write(completed());
                    } catch (RuntimeException e) {
                        failure.set(e);
                    }
                });
            }
            release.countDown();
        }

        assertThat(failures).allSatisfy(failure ->
                assertThat(failure.get()).isInstanceOf(RegistryUnavailableException.class));
        assertThat(singles).isEmpty();
    }

    @Test
    void aBatchRefusedWholeIsWrittenOneByOneSoThatOnlyTheBadCompletionFails() throws Exception {
        InvocationCompleted bad = completed();
        writer = new CompletionWriter(batch -> {
            throw new RegistryRejectedException("400 one bad completion", null);
        }, completion -> {
            if (completion == bad) {
                throw new RegistryRejectedException("400 bad", null);
            }
            singles.add(completion);
        }, settings(Duration.ofSeconds(5), 2, 1));
        InvocationCompleted good = completed();

        var badFailure = new AtomicReference<Throwable>();
        try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            callers.submit(() -> writer.write(good));
            callers.submit(() -> {
                try {
                    writer.write(bad);
                } catch (RuntimeException e) {
                    badFailure.set(e);
                }
            });
        }

        assertThat(singles).containsExactly(good);
        assertThat(badFailure.get()).isInstanceOf(RegistryRejectedException.class);
    }

    @Test
    void aCompletionRefusedAloneIsReportedToItsCaller() {
        writer = new CompletionWriter(batch -> {
            throw new RegistryRejectedException("400", null);
        }, singles::add, settings(Duration.ZERO, 8, 1));

        assertThatThrownBy(() -> writer.write(completed())).isInstanceOf(RegistryRejectedException.class);
        assertThat(singles).isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ContainerManagerProperties.Completions settings(Duration linger, int maxBatch, int writers) {
        return new ContainerManagerProperties.Completions(linger, maxBatch, writers);
    }

    private static InvocationCompleted completed() {
        Instant now = Instant.now();
        return new InvocationCompleted(UUID.randomUUID(), "hello", 1, InvocationStatus.SUCCEEDED, StartType.WARM,
                null, null, null, "", now, now, 1);
    }
}

package io.cloudfunc.containers.oneshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.docker.ContainerEngine;
import io.cloudfunc.containers.docker.ContainerEngine.AttachedRun;
import io.cloudfunc.containers.docker.ContainerEngine.ImageSummary;
import io.cloudfunc.containers.docker.ContainerEngineException;
import io.cloudfunc.containers.docker.ContainerSpec;
import io.cloudfunc.containers.images.ImageCatalog;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/** How a one-shot run's exit, output and timing become an invocation's outcome; the engine is faked. */
class OneShotRunnerTests {

    private static final ImageSummary ROOT_IMAGE = new ImageSummary("sha256:1", List.of("myorg/x:1"), 1,
            Instant.EPOCH, Map.of(), "");
    private static final ImageSummary SOCKET_IMAGE = new ImageSummary("sha256:2", List.of("myorg/s:1"), 1,
            Instant.EPOCH, Map.of("io.cloudfunc.protocol", "socket"), "10001");

    private final ContainerEngine engine = mock(ContainerEngine.class);
    /** One thread, so that {@link #drain()} can wait for every removal started before it. */
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    /** Cold starts the runner reported to the pool. */
    private final AtomicInteger starts = new AtomicInteger();
    private final OneShotRunner runner = new OneShotRunner(engine, new ImageCatalog(engine), properties(),
            new io.cloudfunc.containers.isolation.ContainerIsolation(engine,
                    new ContainerManagerProperties.Isolation(null, null), java.time.Clock.systemUTC()),
            JsonMapper.builder().build(), background, function -> new OneShotCapacity.Room() {
                @Override
                public void started() {
                    starts.incrementAndGet();
                }

                @Override
                public void close() {
                }
            });

    @org.junit.jupiter.api.BeforeEach
    void engineHasRunc() {
        when(engine.ociRuntimes()).thenReturn(java.util.Set.of("runc"));
    }

    @AfterEach
    void stop() {
        background.close();
    }

    @Test
    void exitZeroWithJsonOnStdoutSucceedsAndStderrIsTheLog() {
        AttachedRun run = attached(false, 0, "{\"ok\":true}\n", "working\n");

        OneShotResult result = runWith(ROOT_IMAGE, run);

        assertThat(result.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(result.result().get("ok").booleanValue()).isTrue();
        assertThat(result.logs()).isEqualTo("working\n");
        verify(engine, timeout(5_000)).remove("c1");
    }

    @Test
    void everyCallWhoseContainerRanIsAColdStartCountedByThePool() {
        OneShotResult succeeded = runWith(ROOT_IMAGE, attached(false, 0, "1", ""));
        OneShotResult failed = runWith(ROOT_IMAGE, attached(false, 2, "", "bad input\n"));
        OneShotResult timedOut = runWith(ROOT_IMAGE, attached(true, null, "", ""));

        assertThat(List.of(succeeded, failed, timedOut)).extracting(OneShotResult::startType)
                .containsOnly(StartType.COLD);
        assertThat(starts).hasValue(3);
    }

    @Test
    void aCallThatFailsBeforeItsContainerRunsIsNoStart() {
        drain();
        doReturn(Optional.of(ROOT_IMAGE)).when(engine).inspectImage(any());
        doReturn("c1").when(engine).createWithStdin(any());
        doThrow(new ContainerEngineException("the engine refused to start it", null)).when(engine)
                .runAttached(eq("c1"), any(), anyInt(), anyInt(), any(Duration.class));

        OneShotResult result = runner.runIfOneShot(function("image", "myorg/x:1"), UUID.randomUUID(),
                NullNode.getInstance()).orElseThrow();

        assertThat(result.error().type()).isEqualTo("PlatformError");
        assertThat(result.startType()).isNull();
        assertThat(starts).hasValue(0);
    }

    @Test
    void nonZeroExitFailsWithTheCodeAndStderrTail() {
        OneShotResult result = runWith(ROOT_IMAGE, attached(false, 2, "", "bad input\n"));

        assertThat(result.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(result.kind()).isEqualTo(ErrorKind.FUNCTION);
        assertThat(result.error().type()).isEqualTo("NonZeroExit");
        assertThat(result.error().message()).isEqualTo("the image's process exited with code 2: bad input");
    }

    @Test
    void emptyOrNonJsonStdoutIsInvalidOutput() {
        assertThat(runWith(ROOT_IMAGE, attached(false, 0, "  \n", "")).error().type()).isEqualTo("InvalidOutput");
        assertThat(runWith(ROOT_IMAGE, attached(false, 0, "hello", "")).error().message()).contains("hello");
    }

    @Test
    void timeoutAndOomAndOverflowAreReportedAsSuch() {
        assertThat(runWith(ROOT_IMAGE, attached(true, null, "", "")).status()).isEqualTo(InvocationStatus.TIMED_OUT);
        AttachedRun oom = new AttachedRun(false, 137, true, new byte[0], false, new byte[0], false);
        assertThat(runWith(ROOT_IMAGE, oom).error().type()).isEqualTo("OutOfMemoryError");
        AttachedRun big = new AttachedRun(false, 0, false, "{}".getBytes(), true, "x".getBytes(), true);
        OneShotResult tooLarge = runWith(ROOT_IMAGE, big);
        assertThat(tooLarge.error().type()).isEqualTo("ResultTooLarge");
        assertThat(tooLarge.logs()).isEqualTo("x\n...[truncated]");
    }

    @Test
    void rootImageRunsAsThePlatformUidAndOthersKeepTheirUser() {
        assertThat(runner.user("")).isEqualTo("10001:10001");
        assertThat(runner.user("root")).isEqualTo("10001:10001");
        assertThat(runner.user("0:0")).isEqualTo("10001:10001");
        assertThat(runner.user("app")).isEqualTo("app");
        assertThat(runner.user("1000:1000")).isEqualTo("1000:1000");
    }

    @Test
    void containerGetsTheFunctionsEnvAndLimitsWithoutAMount() {
        runWith(ROOT_IMAGE, attached(false, 0, "1", ""));

        ArgumentCaptor<ContainerSpec> spec = ArgumentCaptor.forClass(ContainerSpec.class);
        verify(engine).createWithStdin(spec.capture());
        assertThat(spec.getValue().env()).containsExactly("GREETING=hi");
        assertThat(spec.getValue().bindSource()).isNull();
        assertThat(spec.getValue().memoryBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(spec.getValue().labels()).containsEntry("io.cloudfunc.oneshot", "true")
                .containsEntry("io.cloudfunc.manager", "test-node");
    }

    @Test
    void socketImagesAndOtherRuntimesAreLeftToThePool() {
        when(engine.inspectImage("myorg/s:1")).thenReturn(Optional.of(SOCKET_IMAGE));

        assertThat(runner.runIfOneShot(function("image", "myorg/s:1"), UUID.randomUUID(), NullNode.getInstance()))
                .isEmpty();
        assertThat(runner.runIfOneShot(function("python", null), UUID.randomUUID(), NullNode.getInstance()))
                .isEmpty();
    }

    @Test
    void missingImageFailsTheCallWithoutAContainer() {
        when(engine.inspectImage("myorg/x:1")).thenReturn(Optional.empty());

        OneShotResult result = runner.runIfOneShot(function("image", "myorg/x:1"), UUID.randomUUID(),
                NullNode.getInstance()).orElseThrow();

        assertThat(result.error().type()).isEqualTo("ImageNotFound");
        assertThat(result.startType()).as("no container, no start").isNull();
        assertThat(starts).hasValue(0);
    }

    private OneShotResult runWith(ImageSummary image, AttachedRun run) {
        // The previous run's container is removed on the background thread, and Mockito takes a call to the mock
        // made while a stubbing is under way, from any thread, for the call being stubbed: wait for that removal
        // before stubbing again.
        drain();
        doReturn(Optional.of(image)).when(engine).inspectImage(any());
        doReturn("c1").when(engine).createWithStdin(any());
        doReturn(run).when(engine).runAttached(eq("c1"), any(), anyInt(), anyInt(), any(Duration.class));
        return runner.runIfOneShot(function("image", "myorg/x:1"), UUID.randomUUID(), NullNode.getInstance())
                .orElseThrow();
    }

    private void drain() {
        try {
            background.submit(() -> { }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the background removals did not finish", e);
        }
    }

    private static AttachedRun attached(boolean timedOut, Integer exit, String stdout, String stderr) {
        return new AttachedRun(timedOut, exit, false, stdout.getBytes(StandardCharsets.UTF_8), false,
                stderr.getBytes(StandardCharsets.UTF_8), false);
    }

    private static FunctionVersionView function(String runtime, String image) {
        return new FunctionVersionView("fn", 1, runtime, "", 5_000, 64, 60_000, Map.of("GREETING", "hi"), 0, 10, 1,
                "none", null, image, 0, 1000, "sha", 22, Instant.EPOCH, java.util.List.of());
    }

    private static ContainerManagerProperties properties() {
        return new ContainerManagerProperties(URI.create("http://127.0.0.1:1"), null, null, null, null, 0,
                "test-node", null, null, null, null, null, null, null, null, false, null);
    }
}

package io.cloudfunc.containers.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.docker.ContainerEngine;
import io.cloudfunc.containers.docker.ContainerEngine.AttachedRun;
import io.cloudfunc.containers.docker.ContainerEngine.ImageSummary;
import io.cloudfunc.containers.docker.ContainerSpec;
import io.cloudfunc.containers.registry.RegistryClient;
import io.cloudfunc.contracts.function.DependencyBuildRequest;
import io.cloudfunc.contracts.function.DependencyBuildResult;
import io.cloudfunc.contracts.function.DependencyBuildView;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.support.problem.ProblemException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

class DependencyBuilderTests {

    @TempDir
    Path dir;
    private final ContainerEngine engine = mock(ContainerEngine.class);
    private final RegistryClient registry = mock(RegistryClient.class);
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private final BuildLogs logs = new BuildLogs();

    @AfterEach
    void stop() {
        background.close();
    }

    @Test
    void buildsInAThrowawayContainerAndStoresWhatWasInstalled() throws Exception {
        when(registry.dependencyBuild(anyString())).thenReturn(Optional.empty());
        runs(new AttachedRun(false, 0, false, new byte[0], false, new byte[0], false),
                "$ pip install -r requirements.txt\nSuccessfully installed greet-0.1\n", "greet/__init__.py");
        when(registry.storeDependencyBuild(anyString(), eq("python"), anyLong(), any())).thenAnswer(call ->
                new DependencyBuildView(call.getArgument(0), "python", 10, "sha", call.getArgument(2), Instant.EPOCH));

        DependencyBuildResult result = builder().build(request(), zip("requirements.txt", "greet==0.1\n"), "b-1")
                .orElseThrow();

        assertThat(result.reused()).isFalse();
        assertThat(result.digest()).hasSize(64);
        ArgumentCaptor<ContainerSpec> spec = ArgumentCaptor.forClass(ContainerSpec.class);
        verify(engine).createWithStdin(spec.capture());
        assertThat(spec.getValue().image()).isEqualTo("cloudfunc/runtime-python:latest");
        assertThat(spec.getValue().user()).isEqualTo("10001:10001");
        assertThat(spec.getValue().network()).isEqualTo("cloudfunc-builds");
        assertThat(spec.getValue().memoryBytes()).isEqualTo(1024L * 1024 * 1024);
        assertThat(spec.getValue().entrypoint()).containsExactly("/bin/sh", "/cloudfunc/build.sh");
        assertThat(spec.getValue().env()).contains("HOME=/cloudfunc/home")
                .noneMatch(entry -> entry.startsWith("CONTAINERS_") || entry.startsWith("SPRING_"));
        verify(engine).ensureNetwork("cloudfunc-builds");
        ArgumentCaptor<byte[]> archive = ArgumentCaptor.forClass(byte[].class);
        verify(registry).storeDependencyBuild(eq(result.digest()), eq("python"), anyLong(), archive.capture());
        assertThat(entries(archive.getValue())).containsExactly("greet/__init__.py");
        assertThat(logs.page("b-1", 0).orElseThrow().lines()).contains("Successfully installed greet-0.1")
                .anyMatch(line -> line.startsWith("Built in "));
    }

    @Test
    void reusesAStoredBuildOfTheSameDigestWithoutRunningAContainer() throws Exception {
        when(registry.dependencyBuild(anyString())).thenAnswer(call -> Optional.of(new DependencyBuildView(
                call.getArgument(0), "python", 10, "sha", 4321, Instant.EPOCH)));
        when(engine.inspectImage(anyString())).thenReturn(Optional.of(image()));

        DependencyBuildResult result = builder().build(request(), zip("requirements.txt", "greet==0.1\n"), "b-2")
                .orElseThrow();

        assertThat(result.reused()).isTrue();
        assertThat(result.buildMs()).isEqualTo(4321);
        verify(engine, never()).createWithStdin(any());
        assertThat(logs.page("b-2", 0).orElseThrow().lines()).anyMatch(line -> line.contains("reused"));
    }

    @Test
    void aBuildPastItsTimeLimitIsStoppedSaysSoAndStoresNothing() throws Exception {
        when(registry.dependencyBuild(anyString())).thenReturn(Optional.empty());
        runs(new AttachedRun(true, null, false, new byte[0], false, new byte[0], false), "Collecting greet\n", null);

        assertThatThrownBy(() -> builder().build(request(), zip("requirements.txt", "greet\n"), "b-3"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemTypes.BUILD_TIMED_OUT);
                    assertThat(e.problem().getDetail()).contains("time limit of 30 s");
                });
        verify(registry, never()).storeDependencyBuild(anyString(), anyString(), anyLong(), any());
        assertThat(logs.page("b-3", 0).orElseThrow().lines()).last().asString().contains("time limit");
    }

    @Test
    void aFailedBuildQuotesTheToolsErrorLinesAndStoresNothing() throws Exception {
        when(registry.dependencyBuild(anyString())).thenReturn(Optional.empty());
        runs(new AttachedRun(false, 1, false, new byte[0], false, new byte[0], false),
                "Looking in indexes: http://mirror/simple/\nERROR: No matching distribution found for greet==9\n", null);

        assertThatThrownBy(() -> builder().build(request(), zip("requirements.txt", "greet==9\n"), "b-4"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemTypes.BUILD_FAILED);
                    assertThat(e.problem().getDetail()).contains("pip failed")
                            .contains("ERROR: No matching distribution found for greet==9")
                            .doesNotContain("Looking in indexes");
                });
        verify(registry, never()).storeDependencyBuild(anyString(), anyString(), anyLong(), any());
    }

    @Test
    void nothingToBuildRunsNothing() throws Exception {
        assertThat(builder().build(request(), zip("function.py", "x = 1\n"), "b-5")).isEmpty();
        verify(engine, never()).createWithStdin(any());
        assertThat(logs.page("b-5", 0)).isEmpty();
    }

    /** The build's run: writes the log (and an installed file) into the build's directory, then ends as given. */
    private void runs(AttachedRun outcome, String log, String installed) {
        when(engine.inspectImage(anyString())).thenReturn(Optional.of(image()));
        when(engine.createWithStdin(any())).thenReturn("c1");
        when(engine.runAttached(eq("c1"), any(), anyInt(), anyInt(), any())).thenAnswer(call -> {
            Path build;
            try (Stream<Path> builds = Files.list(dir.resolve("builds"))) {
                build = builds.findFirst().orElseThrow();
            }
            Files.writeString(build.resolve("build.log"), log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (installed != null) {
                Path file = build.resolve("out").resolve(installed);
                Files.createDirectories(file.getParent());
                Files.writeString(file, "def hello(): return 'hi'\n");
            }
            return outcome;
        });
    }

    private DependencyBuilder builder() {
        var builds = new ContainerManagerProperties.Builds(null, Duration.ofSeconds(30), null, 0, null, null, null,
                null, dir.resolve("no-ca.pem"), dir.resolve("builds"));
        var properties = new ContainerManagerProperties(URI.create("http://127.0.0.1:1"), null, null,
                dir.resolve("code"), null, 0, "test-node", null, null, null, null, null, null, null, builds, false, null);
        return new DependencyBuilder(engine, registry, properties, logs, background);
    }

    private static DependencyBuildRequest request() {
        return new DependencyBuildRequest("greeter", "python", List.of());
    }

    private static ImageSummary image() {
        return new ImageSummary("sha256:image", List.of("cloudfunc/runtime-python:latest"), 0, Instant.EPOCH,
                Map.of(), "10001:10001");
    }

    private static byte[] zip(String name, String content) throws Exception {
        return BuildManifestTests.zip(Map.of(name, content));
    }

    private static List<String> entries(byte[] zip) throws Exception {
        List<String> names = new ArrayList<>();
        try (var in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    @Test
    void quotesTheToolsErrorLinesElseItsLastLines() {
        List<String> pip = List.of("$ pip install -r requirements.txt", "Looking in indexes: http://wheels/simple/",
                "ERROR: Could not find a version that satisfies the requirement nosuch==1.0 (from versions: none)",
                "ERROR: No matching distribution found for nosuch==1.0", "Build failed: pip exited with code 1");
        assertThat(DependencyBuilder.errorLines(pip)).containsExactly(pip.get(2), pip.get(3));

        List<String> npm = List.of("$ npm install --omit=dev", "npm error code E404",
                "npm error 404 Not Found - GET https://registry.npmjs.org/nosuch - Not found");
        assertThat(DependencyBuilder.errorLines(npm)).containsExactly(npm.get(1), npm.get(2));

        List<String> quiet = List.of("one", "two");
        assertThat(DependencyBuilder.errorLines(quiet)).containsExactly("one", "two");
    }

    @Test
    void trustsPlainHttpIndexesByHostAndQuotesForTheShell() {
        assertThat(DependencyBuilder.plainHttpHost("http://wheels:8080/simple/")).isEqualTo("wheels:8080");
        assertThat(DependencyBuilder.plainHttpHost("http://mirror/simple/")).isEqualTo("mirror");
        assertThat(DependencyBuilder.plainHttpHost("https://pypi.org/simple/")).isNull();
        assertThat(DependencyBuilder.quote("it's")).isEqualTo("'it'\\''s'");
    }
}

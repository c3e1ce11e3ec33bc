package io.cloudfunc.containers.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Python runtime's own unit tests (runtimes/python/tests), run on the runtime image's Python, in a container as
 * locked down as a function's (no network, read-only root, the runtime user), so that they run with every build.
 */
class PythonRuntimeIT {

    @Test
    void runtimeUnitTestsPassOnTheImagesPython() throws Exception {
        ItInfrastructure.ensureRuntimeImage();
        Path runtime = Path.of("..", "runtimes", "python").toAbsolutePath().normalize();
        assertThat(Files.isRegularFile(runtime.resolve("tests").resolve("test_runtime.py"))).isTrue();

        ItInfrastructure.Result result = ItInfrastructure.run(Duration.ofMinutes(2), false, "docker", "run", "--rm",
                "--network", "none", "--read-only", "--tmpfs", "/tmp", "-v", runtime + ":/src:ro",
                "--entrypoint", "python3", ItInfrastructure.RUNTIME_IMAGE,
                "-B", "-m", "unittest", "discover", "-s", "/src/tests", "-v");

        assertThat(result.exitCode()).as(result.output()).isZero();
        Matcher ran = Pattern.compile("Ran (\\d+) tests?").matcher(result.output());
        assertThat(ran.find()).as(result.output()).isTrue();
        assertThat(Integer.parseInt(ran.group(1))).isGreaterThanOrEqualTo(13);
        assertThat(result.output()).contains("\nOK").doesNotContain("skipped");
    }
}

package io.cloudfunc.containers.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Node.js runtime's own tests (runtimes/node/tests), run on the runtime image's Node, in a container as locked
 * down as a function's (no network, read-only root, the runtime user), so that they run with every build.
 */
class NodeRuntimeIT {

    @Test
    void runtimeTestsPassOnTheImagesNode() throws Exception {
        ItInfrastructure.ensureNodeImage();
        Path runtime = ItInfrastructure.repository("runtimes", "node");
        assertThat(Files.isRegularFile(runtime.resolve("tests").resolve("runtime.test.js"))).isTrue();

        ItInfrastructure.Result result = ItInfrastructure.run(Duration.ofMinutes(3), false, "docker", "run", "--rm",
                "--network", "none", "--read-only", "--tmpfs", "/tmp", "-v", runtime + ":/src:ro",
                "--entrypoint", "node", ItInfrastructure.NODE_IMAGE,
                "--test", "--test-reporter=tap", "/src/tests/");

        assertThat(result.exitCode()).as(result.output()).isZero();
        Matcher passed = Pattern.compile("# pass (\\d+)").matcher(result.output());
        assertThat(passed.find()).as(result.output()).isTrue();
        assertThat(Integer.parseInt(passed.group(1))).isGreaterThanOrEqualTo(21);
        assertThat(result.output()).contains("# fail 0").contains("# skipped 0");
    }
}

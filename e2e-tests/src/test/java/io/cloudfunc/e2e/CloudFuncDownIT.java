package io.cloudfunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/cloudfunc-down} removes the outbound network the container-manager created, and only that network and
 * only when nothing uses it. On a compose project and a network of its own (COMPOSE_PROJECT_NAME,
 * CLOUDFUNC_OUTBOUND_NETWORK), so that it never touches a platform running on this engine.
 */
class CloudFuncDownIT {

    private static final Path ROOT = Path.of(System.getProperty("cloudfunc.root", "..")).toAbsolutePath().normalize();
    /** An image bin/run-tests builds; the container is only created, never started. */
    private static final String IMAGE = "cloudfunc/runtime-python:latest";

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String network = "cloudfunc-outbound-down-" + suffix;
    private final List<String> containers = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (String container : containers) {
            run("docker", "rm", "-f", container);
        }
        run("docker", "network", "rm", network);
    }

    @Test
    void removesTheOutboundNetworkOnceNoContainerUsesItAndOnlyIfCloudFuncMadeIt() throws Exception {
        createNetwork(network, true);
        String user = run("docker", "create", "--network", network, IMAGE, "true").out().strip();
        containers.add(user);

        Run kept = down();
        assertThat(kept.exitCode()).as(kept.out()).isZero();
        assertThat(kept.out()).contains("kept network " + network + ": in use (1 container(s) attached");
        assertThat(networkExists(network)).isTrue();

        run("docker", "rm", "-f", user);
        Run removed = down();
        assertThat(removed.exitCode()).as(removed.out()).isZero();
        assertThat(removed.out()).contains("removed network " + network);
        assertThat(networkExists(network)).isFalse();

        Run nothingLeft = down();
        assertThat(nothingLeft.exitCode()).as(nothingLeft.out()).isZero();
    }

    @Test
    void leavesANetworkOfThatNameAloneWhenCloudFuncDidNotCreateIt() throws Exception {
        createNetwork(network, false);

        Run down = down();

        assertThat(down.exitCode()).as(down.out()).isZero();
        assertThat(down.out()).contains("kept network " + network + ": CloudFunc did not create it");
        assertThat(networkExists(network)).isTrue();
    }

    private void createNetwork(String name, boolean managed) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker", "network", "create", "--driver", "bridge"));
        if (managed) { // as the container-manager creates it (DockerJavaEngine.ensureIsolatedNetwork)
            command.addAll(List.of("--label", "io.cloudfunc.managed=true",
                    "-o", "com.docker.network.bridge.enable_icc=false"));
        }
        command.add(name);
        assertThat(run(command.toArray(String[]::new)).exitCode()).isZero();
    }

    private Run down() throws Exception {
        var builder = new ProcessBuilder(ROOT.resolve("bin/cloudfunc-down").toString()).redirectErrorStream(true);
        builder.environment().put("COMPOSE_PROJECT_NAME", "cfdown" + suffix);
        builder.environment().put("CLOUDFUNC_OUTBOUND_NETWORK", network);
        return wait(builder.start());
    }

    private static boolean networkExists(String name) throws Exception {
        return run("docker", "network", "inspect", name).exitCode() == 0;
    }

    private static Run run(String... command) throws Exception {
        return wait(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private static Run wait(Process process) throws Exception {
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), out);
    }

    private record Run(int exitCode, String out) {
    }
}

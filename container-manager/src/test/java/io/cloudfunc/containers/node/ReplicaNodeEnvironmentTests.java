package io.cloudfunc.containers.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class ReplicaNodeEnvironmentTests {

    private static final Path SOCKETS = Path.of("/var/lib/cloudfunc/containers");
    private static final Path CODE = Path.of("/var/lib/cloudfunc/code-cache");

    @Test
    void firstReplicaIsTheConfiguredNodeWithItsDirectories() {
        assertThat(ReplicaNodeEnvironment.settings(1, "local", SOCKETS, CODE, null)).isEmpty();
    }

    @Test
    void laterReplicaIsANodeOfItsOwnWithDirectoriesOfItsOwn() {
        assertThat(ReplicaNodeEnvironment.settings(3, "local", SOCKETS, CODE, null)).containsExactly(
                Map.entry("containers.node", "local-3"),
                Map.entry("containers.socket-root", "/var/lib/cloudfunc/nodes/local-3/containers"),
                Map.entry("containers.code-cache", "/var/lib/cloudfunc/nodes/local-3/code-cache"));
    }

    @Test
    void configuredBuildDirectoryMovesWithTheReplica() {
        assertThat(ReplicaNodeEnvironment.settings(2, "edge", SOCKETS, CODE, Path.of("/srv/builds")))
                .containsEntry("containers.node", "edge-2")
                .containsEntry("containers.builds.work-dir", "/srv/nodes/edge-2/builds");
    }

    @Test
    void rejectsReplicaNumberBelowOne() {
        assertThatThrownBy(() -> ReplicaNodeEnvironment.settings(0, "local", SOCKETS, CODE, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leavesTheEnvironmentAloneUnlessTurnedOn() {
        var environment = new StandardEnvironment();
        int sources = environment.getPropertySources().size();
        new ReplicaNodeEnvironment(Supplier::get)
                .postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getPropertySources().size()).isEqualTo(sources);
    }

    @Test
    void refusesToStartWhenTheEngineCannotTellItsReplicaNumber() {
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "containers.node-per-replica", "true", "HOSTNAME", "0123456789ab",
                "containers.socket-root", "/var/lib/cloudfunc/containers",
                "containers.docker-host", "unix:///nonexistent/docker.sock")));
        assertThatThrownBy(() -> new ReplicaNodeEnvironment(Supplier::get)
                .postProcessEnvironment(environment, new SpringApplication()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("could not ask the Docker engine at unix:///nonexistent/docker.sock for container"
                        + " 0123456789ab's compose replica number");
        assertThat(environment.getProperty("containers.node")).isNull();
    }
}

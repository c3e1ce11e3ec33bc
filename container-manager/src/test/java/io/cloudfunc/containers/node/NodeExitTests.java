package io.cloudfunc.containers.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class NodeExitTests {

    private static final String ID = "3f2a9c1b7d4e" + "5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";
    private static final String MOUNTS = "612 590 0:52 /var/lib/docker/containers/" + ID
            + "/hostname /etc/hostname rw,relatime - ext4 /dev/sda1 rw\n";
    private static final Function<String, Optional<String>> ENGINE = name -> Optional.ofNullable(
            Map.of("3f2a9c1b7d4e", ID, "other", "9".repeat(64)).get(name));

    @Test
    void findsTheContainerThisProcessIsTheMainProcessOf() {
        assertThat(NodeExit.ownContainer("3f2a9c1b7d4e", 1, MOUNTS, ENGINE)).contains(ID);
    }

    @Test
    void aProcessThatIsNotTheContainersMainOneExitsInstead() {
        assertThat(NodeExit.ownContainer("3f2a9c1b7d4e", 4711, MOUNTS, ENGINE)).isEmpty();
    }

    @Test
    void aHostNameTheEngineDoesNotKnowMeansNoContainerOfIts() {
        assertThat(NodeExit.ownContainer("build-host", 1, MOUNTS, ENGINE)).isEmpty();
        assertThat(NodeExit.ownContainer(null, 1, MOUNTS, ENGINE)).isEmpty();
    }

    @Test
    void aNamesakeWhoseIdIsNotInThisProcesssMountsIsNotTakenForIt() {
        assertThat(NodeExit.ownContainer("other", 1, MOUNTS, ENGINE)).isEmpty();
    }
}

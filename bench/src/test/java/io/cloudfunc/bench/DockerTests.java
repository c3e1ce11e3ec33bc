package io.cloudfunc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DockerTests {

    @Test
    void readsDockerStatsMemoryUnits() {
        assertThat(Docker.parseMiB("12.5MiB")).isEqualTo(12.5);
        assertThat(Docker.parseMiB("1.5GiB")).isEqualTo(1536.0);
        assertThat(Docker.parseMiB("512KiB")).isEqualTo(0.5);
        assertThat(Docker.parseMiB("--")).isNull();
    }
}

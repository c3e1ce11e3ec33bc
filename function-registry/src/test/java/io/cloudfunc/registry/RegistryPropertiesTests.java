package io.cloudfunc.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class RegistryPropertiesTests {

    @Test
    void defaultsMatchThePlatformContract() {
        RegistryProperties properties = TestProperties.registry();

        assertThat(properties.runtimes()).containsExactly("python", "node", "java", "image");
        assertThat(properties.maxArchiveSize()).isEqualTo(DataSize.ofMegabytes(50));
        assertThat(properties.maxUnpackedSize()).isEqualTo(DataSize.ofMegabytes(250));
        assertThat(properties.defaults().handler()).isEqualTo("function.handler");
        assertThat(properties.defaults().timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.defaults().memory()).isEqualTo(DataSize.ofMegabytes(128));
        assertThat(properties.defaults().idleTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(properties.limits().maxTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(properties.defaults().minInstances()).isZero();
        assertThat(properties.defaults().maxInstances()).isEqualTo(10);
        assertThat(properties.defaults().concurrency()).isEqualTo(1);
        assertThat(properties.defaults().maxRetries()).isZero();
        assertThat(properties.defaults().retryBackoff()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void bindsRuntimeListFromCommaSeparatedValue() {
        RegistryProperties properties = TestProperties.registry(Map.of("runtimes", "python,node"));

        assertThat(properties.runtimes()).isEqualTo(List.of("python", "node"));
    }

    @Test
    void rejectsDefaultTimeoutOutsideLimits() {
        assertThatThrownBy(() -> TestProperties.registry(Map.of("limits.max-timeout", "10s")))
                .hasRootCauseMessage("registry.defaults.timeout must lie between PT0.001S and PT10S");
    }

    @Test
    void rejectsDefaultRuntimeThatIsNotOffered() {
        assertThatThrownBy(() -> TestProperties.registry(Map.of("runtimes", "node")))
                .hasRootCauseMessage("registry.defaults.runtime 'python' is not one of registry.runtimes [node]");
    }
}

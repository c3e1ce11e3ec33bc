package io.cloudfunc.containers.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.containers.ContainerManagerProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class PoolConfigurationTests {

    @Test
    void prewarmSettingsAreBoundPerRuntimeAndZeroTurnsARuntimeOff() {
        PoolSettings settings = PoolConfiguration.settings(bind(Map.of(
                "containers.runtimes.python.image", "py",
                "containers.runtimes.python.prewarm-min", "0",
                "containers.runtimes.python.prewarm-max", "0",
                "containers.runtimes.java.image", "jvm",
                "containers.runtimes.java.prewarm-any-memory", "false",
                "containers.runtimes.node.image", "v8",
                "containers.runtimes.node.prewarm-min", "2",
                "containers.pool.prewarm-memory", "256MB")));

        assertThat(settings.prewarm()).containsOnlyKeys("java", "node");
        assertThat(settings.prewarm().get("java")).isEqualTo(new PoolSettings.Prewarm(1, 2, false));
        assertThat(settings.prewarm().get("node")).isEqualTo(new PoolSettings.Prewarm(2, 2, true));
        assertThat(settings.prewarmFits("java", 256)).isTrue();
        assertThat(settings.prewarmFits("java", 128)).as("a JVM's heap is sized at start").isFalse();
        assertThat(settings.prewarmFits("node", 1024)).isTrue();
        assertThat(settings.prewarmFits("python", 256)).as("prewarming off").isFalse();
    }

    private static ContainerManagerProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("containers", ContainerManagerProperties.class);
    }
}

package io.cloudfunc.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class SchedulerPropertiesTests {

    @Test
    void countsANodeOutAfterTenSilentSecondsByDefault() {
        SchedulerProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("scheduler", SchedulerProperties.class);

        assertThat(defaults.nodeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.intake().concurrency()).isPositive();
    }

    @Test
    void nodeTimeoutCanBeSetByEnvironment() {
        SchedulerProperties properties = new Binder(new MapConfigurationPropertySource(
                Map.of("scheduler.node-timeout", "3s"))).bindOrCreate("scheduler", SchedulerProperties.class);

        assertThat(properties.nodeTimeout()).isEqualTo(Duration.ofSeconds(3));
    }
}

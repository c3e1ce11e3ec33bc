package io.cloudfunc.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class SchedulerPropertiesTests {

    @Test
    void placesCallsOnTheLocalNodeByDefault() {
        SchedulerProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("scheduler", SchedulerProperties.class);

        assertThat(defaults.nodes()).containsExactly("local");
        assertThat(defaults.intake().concurrency()).isPositive();
    }

    @Test
    void nodesCanBeSetByEnvironment() {
        SchedulerProperties properties = new Binder(new MapConfigurationPropertySource(
                Map.of("scheduler.nodes", "node-a,node-b"))).bindOrCreate("scheduler", SchedulerProperties.class);

        assertThat(properties.nodes()).isEqualTo(List.of("node-a", "node-b"));
    }
}

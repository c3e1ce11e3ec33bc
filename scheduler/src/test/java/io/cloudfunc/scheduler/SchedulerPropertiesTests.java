package io.cloudfunc.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class SchedulerPropertiesTests {

    @Test
    void defaultReplyMarginCoversAColdStartAndACapacityWaitAtTheContainerManager() {
        SchedulerProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("scheduler", SchedulerProperties.class);

        // container-manager defaults: containers.timeouts.socket-connect 10 s + containers.timeouts.init 10 s +
        // containers.pool.capacity-wait 30 s, before the function's own timeout even starts
        Duration coldStartAndCapacityWait = Duration.ofSeconds(10 + 10 + 30);
        assertThat(defaults.replyTimeoutMargin()).isGreaterThan(coldStartAndCapacityWait);
    }

    @Test
    void replyMarginCanBeSetByEnvironment() {
        SchedulerProperties properties = new Binder(new MapConfigurationPropertySource(
                Map.of("scheduler.reply-timeout-margin", "90s"))).bindOrCreate("scheduler", SchedulerProperties.class);

        assertThat(properties.replyTimeoutMargin()).isEqualTo(Duration.ofSeconds(90));
    }
}

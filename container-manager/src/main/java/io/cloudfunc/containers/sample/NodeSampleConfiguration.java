package io.cloudfunc.containers.sample;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.support.messaging.ConfirmedPublisher;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes a {@link io.cloudfunc.contracts.messaging.NodeSample} every {@code containers.sample-interval} (1 min),
 * the first one as soon as the node is ready: the registry's samples are also the durable record of which nodes
 * exist, from which a scheduler started after a node died learns of it (and takes over its queue), so a node is on
 * record within seconds of its start rather than a minute.
 */
@Configuration(proxyBeanMethods = false)
class NodeSampleConfiguration {

    @Bean
    NodeSamplePublisher nodeSamplePublisher(ContainerManagerProperties properties, ContainerPool pool,
                                            ConfirmedPublisher publisher, JsonMapper json, Clock clock) {
        return new NodeSamplePublisher(properties.node(), pool::snapshot, publisher, json, clock);
    }

    /**
     * The timer only hands the sample to a background thread: publishing may wait for a broker connection, and the
     * timer's tasks must never block (call time limits run on it).
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> nodeSampleSchedule(
            NodeSamplePublisher samples, ContainerManagerProperties properties,
            @Qualifier("cloudfuncTimer") ScheduledExecutorService timer,
            @Qualifier("cloudfuncBackground") ExecutorService background) {
        return ready -> {
            long interval = properties.sampleInterval().toMillis();
            ScheduledFuture<?> schedule = timer.scheduleWithFixedDelay(
                    () -> background.execute(samples::publishQuietly), 0, interval, TimeUnit.MILLISECONDS);
            ready.getApplicationContext().addApplicationListener(
                    (ApplicationListener<ContextClosedEvent>) closed -> schedule.cancel(false));
        };
    }
}

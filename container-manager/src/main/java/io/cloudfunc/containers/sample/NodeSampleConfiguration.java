package io.cloudfunc.containers.sample;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.support.messaging.ConfirmedPublisher;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes a {@link io.cloudfunc.contracts.messaging.NodeSample} every {@code containers.sample-interval} (1 min),
 * the first one interval after the start.
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
    DisposableBean nodeSampleSchedule(NodeSamplePublisher samples, ContainerManagerProperties properties,
                                      @Qualifier("cloudfuncTimer") ScheduledExecutorService timer,
                                      @Qualifier("cloudfuncBackground") ExecutorService background) {
        long interval = properties.sampleInterval().toMillis();
        ScheduledFuture<?> schedule = timer.scheduleWithFixedDelay(() -> background.execute(samples::publishQuietly),
                interval, interval, TimeUnit.MILLISECONDS);
        return () -> schedule.cancel(false);
    }
}

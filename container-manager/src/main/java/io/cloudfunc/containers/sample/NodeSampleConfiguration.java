package io.cloudfunc.containers.sample;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.support.messaging.ConfirmedPublisher;
import io.cloudfunc.support.messaging.InvocationTopology;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.amqp.core.Queue;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Publishes a {@link io.cloudfunc.contracts.messaging.NodeSample} every minute, from the first minute on. */
@Configuration(proxyBeanMethods = false)
class NodeSampleConfiguration {

    static final Duration INTERVAL = Duration.ofMinutes(1);

    /** Declared here too (the registry consumes it), so that a publish is routable whoever started first. */
    @Bean
    Queue nodeSamplesQueue() {
        return InvocationTopology.nodeSamplesQueue();
    }

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
    DisposableBean nodeSampleSchedule(NodeSamplePublisher samples,
                                      @Qualifier("cloudfuncTimer") ScheduledExecutorService timer,
                                      @Qualifier("cloudfuncBackground") ExecutorService background) {
        ScheduledFuture<?> schedule = timer.scheduleWithFixedDelay(() -> background.execute(samples::publishQuietly),
                INTERVAL.toSeconds(), INTERVAL.toSeconds(), TimeUnit.SECONDS);
        return () -> schedule.cancel(false);
    }
}

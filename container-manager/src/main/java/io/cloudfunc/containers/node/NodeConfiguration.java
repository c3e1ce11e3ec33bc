package io.cloudfunc.containers.node;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.docker.ContainerEngine;
import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.contracts.messaging.NodeAnnouncement;
import io.cloudfunc.support.messaging.TransientPublisher;
import io.cloudfunc.support.nodes.NodeAnnouncements;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/**
 * The node's announcements: every {@code containers.announce.interval} once the node is ready (its queue declared,
 * its consumers started), and one saying {@code draining} when it shuts down, so that schedulers stop placing calls
 * on it at once rather than after the node timeout.
 */
@Configuration(proxyBeanMethods = false)
class NodeConfiguration {

    @Bean
    FanoutExchange nodesExchange() {
        return NodeAnnouncements.exchange();
    }

    @Bean
    NodeAnnouncer nodeAnnouncer(ContainerManagerProperties properties, AnnounceProperties announce,
                                ContainerPool pool, TransientPublisher publisher, JsonMapper json, Clock clock,
                                Environment environment) {
        return new NodeAnnouncer(properties, announce, pool, publisher, json, clock, environment);
    }

    @Bean
    NodeDrain nodeDrain(NodeAnnouncer announcer,
                        @Qualifier("invocationListenerContainer") SimpleMessageListenerContainer consumer,
                        ContainerPool pool, ContainerEngine engine, ConfigurableApplicationContext context,
                        ContainerManagerProperties properties) {
        return new NodeDrain(announcer, consumer, pool, new NodeExit(engine, context), properties);
    }

    /** The timer only hands the announcement to a background thread: the timer's tasks must never block. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> nodeAnnouncementSchedule(
            NodeAnnouncer announcer, AnnounceProperties announce,
            @Qualifier("cloudfuncTimer") ScheduledExecutorService timer,
            @Qualifier("cloudfuncBackground") ExecutorService background) {
        return ready -> {
            long interval = announce.interval().toMillis();
            ScheduledFuture<?> schedule = timer.scheduleWithFixedDelay(() -> background.execute(announcer::announce),
                    0, interval, TimeUnit.MILLISECONDS);
            ready.getApplicationContext().addApplicationListener((ApplicationListener<ContextClosedEvent>) closed -> {
                schedule.cancel(false);
                if (NodeAnnouncement.UP.equals(announcer.state())) {
                    announcer.state(NodeAnnouncement.DRAINING);
                    announcer.announce();
                }
            });
        };
    }
}

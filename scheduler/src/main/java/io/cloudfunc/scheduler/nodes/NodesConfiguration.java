package io.cloudfunc.scheduler.nodes;

import io.cloudfunc.scheduler.SchedulerProperties;
import io.cloudfunc.scheduler.placement.NodeLoads;
import io.cloudfunc.support.messaging.InvocationTopology;
import io.cloudfunc.support.nodes.NodeAnnouncements;
import io.cloudfunc.support.nodes.NodeDirectory;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The nodes this scheduler places calls on, from their announcements on {@code cloudfunc.nodes} (its own exclusive
 * auto-delete queue): a node's queue is declared here when the node is first heard, before any call is placed on it,
 * so that a forward is never unroutable.
 */
@Configuration(proxyBeanMethods = false)
class NodesConfiguration {

    private static final Logger log = LoggerFactory.getLogger(NodesConfiguration.class);

    @Bean
    NodeDirectory nodeDirectory(SchedulerProperties properties) {
        return new NodeDirectory(Clock.systemUTC(), properties.nodeTimeout());
    }

    @Bean
    NodeLoads nodeLoads(NodeDirectory directory) {
        return new NodeLoads(directory);
    }

    @Bean
    AnonymousQueue nodeAnnouncementsQueue() {
        return NodeAnnouncements.anonymousQueue("cloudfunc.scheduler.nodes.");
    }

    @Bean
    Declarables nodeAnnouncementsBinding(AnonymousQueue nodeAnnouncementsQueue) {
        return NodeAnnouncements.listenerQueue(nodeAnnouncementsQueue);
    }

    @Bean
    SimpleMessageListenerContainer nodeAnnouncementsListener(ConnectionFactory connections,
                                                             AnonymousQueue nodeAnnouncementsQueue,
                                                             NodeDirectory directory, AmqpAdmin admin,
                                                             InvocationTopology topology, JsonMapper json) {
        Set<String> declared = ConcurrentHashMap.newKeySet();
        return NodeAnnouncements.listener(connections, nodeAnnouncementsQueue, announcement -> {
            if (!declared.contains(announcement.nodeId())) {
                try {
                    declare(admin, topology.nodeQueue(announcement.nodeId()));
                    declared.add(announcement.nodeId());
                    log.info("Node {} joined ({})", announcement.nodeId(), announcement.url());
                } catch (RuntimeException e) {
                    log.warn("Could not declare the queue of node {}: {}", announcement.nodeId(), e.toString());
                    return; // not placed on until its queue is known to exist
                }
            }
            directory.heard(announcement);
        }, json);
    }

    private static void declare(AmqpAdmin admin, Declarables declarables) {
        for (Declarable declarable : declarables.getDeclarables()) {
            switch (declarable) {
                case Queue queue -> admin.declareQueue(queue);
                case Exchange exchange -> admin.declareExchange(exchange);
                case Binding binding -> admin.declareBinding(binding);
                default -> { }
            }
        }
    }
}

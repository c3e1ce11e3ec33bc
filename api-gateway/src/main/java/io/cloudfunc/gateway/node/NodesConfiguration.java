package io.cloudfunc.gateway.node;

import io.cloudfunc.support.nodes.NodeAnnouncements;
import io.cloudfunc.support.nodes.NodeDirectory;
import java.time.Clock;
import java.time.Duration;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's own view of the nodes, from their announcements on {@code cloudfunc.nodes} (an exclusive auto-delete
 * queue of its own): {@code GET /nodes}, and the nodes' URLs for {@code /instances} and {@code /images}. A node not
 * heard for {@code gateway.node-timeout} (default 10 s, like the schedulers') is listed as out.
 */
@Configuration(proxyBeanMethods = false)
class NodesConfiguration {

    @Bean
    NodeDirectory nodeDirectory(@Value("${gateway.node-timeout:10s}") Duration timeout) {
        return new NodeDirectory(Clock.systemUTC(), timeout);
    }

    @Bean
    AnonymousQueue nodeAnnouncementsQueue() {
        return NodeAnnouncements.anonymousQueue("cloudfunc.gateway.nodes.");
    }

    @Bean
    Declarables nodeAnnouncementsBinding(AnonymousQueue nodeAnnouncementsQueue) {
        return NodeAnnouncements.listenerQueue(nodeAnnouncementsQueue);
    }

    @Bean
    SimpleMessageListenerContainer nodeAnnouncementsListener(ConnectionFactory connections,
                                                             AnonymousQueue nodeAnnouncementsQueue,
                                                             NodeDirectory directory, JsonMapper json) {
        return NodeAnnouncements.listener(connections, nodeAnnouncementsQueue, directory::heard, json);
    }
}

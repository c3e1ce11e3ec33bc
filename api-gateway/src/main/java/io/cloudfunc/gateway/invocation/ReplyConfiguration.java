package io.cloudfunc.gateway.invocation;

import java.util.UUID;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * This instance's reply queue {@code cloudfunc.replies.<uuid>} (exclusive, auto-delete: it lives as long as the
 * instance's connection) and its consumer.
 */
@Configuration(proxyBeanMethods = false)
class ReplyConfiguration {

    @Bean
    PendingReplies pendingReplies(ConnectionFactory connectionFactory) {
        var replies = new PendingReplies("cloudfunc.replies." + UUID.randomUUID());
        connectionFactory.addConnectionListener(replies);
        return replies;
    }

    @Bean
    Declarables replyQueue(PendingReplies pendingReplies) {
        return new Declarables(new Queue(pendingReplies.replyQueue(), false, true, true));
    }

    @Bean
    DirectMessageListenerContainer replyListenerContainer(ConnectionFactory connectionFactory,
            PendingReplies pendingReplies) {
        // The direct container runs the listener on the client's dispatch thread: no hand-off on the hot path.
        // No acks: a reply is only worth anything to this instance, right now.
        var container = new DirectMessageListenerContainer(connectionFactory);
        container.setQueueNames(pendingReplies.replyQueue());
        container.setAcknowledgeMode(AcknowledgeMode.NONE);
        container.setMessageListener(pendingReplies);
        return container;
    }
}

package io.cloudfunc.gateway.invocation;

import io.cloudfunc.gateway.GatewayProperties;
import io.cloudfunc.gateway.downstream.RegistryService;
import io.cloudfunc.gateway.downstream.SchedulerService;
import java.util.UUID;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/**
 * The invoke route's filter, the HTTP functions' filter ({@code /fn/*}), this instance's reply queue {@code cloudfunc.replies.<uuid>} (exclusive, auto-delete:
 * it lives as long as the instance's connection) and its consumer.
 */
@Configuration(proxyBeanMethods = false)
class InvocationConfiguration {

    @Bean
    InvocationReplies invocationReplies(SchedulerService scheduler, JsonMapper json) {
        return new InvocationReplies(scheduler, json);
    }

    @Bean
    FilterRegistrationBean<InvokeFilter> invokeFilter(InvocationIntake intake, InvocationReplies replies,
            RegistryService registry, GatewayProperties properties, JsonMapper json) {
        var registration = new FilterRegistrationBean<>(new InvokeFilter(intake, replies, properties, json,
                new IdempotentInvocations(registry, json)));
        registration.addUrlPatterns("/functions/*", "/invoke/*");
        // after the header size and API key checks and Boot's observation filter, before everything else
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    FilterRegistrationBean<HttpFunctionFilter> httpFunctionFilter(InvocationIntake intake, InvocationReplies replies,
            RegistryService registry, GatewayProperties properties, JsonMapper json) {
        var access = new HttpAccessRules(registry, json, properties.auth().cacheTtl().toNanos());
        var registration = new FilterRegistrationBean<>(new HttpFunctionFilter(intake, replies, access, properties,
                json));
        registration.addUrlPatterns("/fn/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10); // where the invoke route's filter is
        return registration;
    }

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

package io.cloudfunc.containers.invocation;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.support.messaging.ConfirmedPublisher;
import io.cloudfunc.support.messaging.InvocationTopology;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.Base64UrlNamingStrategy;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import io.cloudfunc.support.messaging.RecordPublisher;
import io.cloudfunc.support.messaging.TransientPublisher;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import tools.jackson.databind.json.JsonMapper;

/**
 * This node's queue {@code cloudfunc.node.<containers.node>} (built by the {@link InvocationTopology} of every
 * service, which also declares the shared exchanges and queues), and its consumer of {@code InvokeFunction}.
 */
@Configuration(proxyBeanMethods = false)
class MessagingConfiguration {

    /** This node's own queue, where the schedulers place the calls it is to run. */
    @Bean
    Declarables nodeQueue(InvocationTopology topology, ContainerManagerProperties properties) {
        return topology.nodeQueue(properties.node());
    }

    /** This manager's own events queue: exclusive, auto-delete, re-declared on reconnection. */
    @Bean
    AnonymousQueue functionEventsQueue() {
        return new AnonymousQueue(new Base64UrlNamingStrategy("cloudfunc.container-manager.events."));
    }

    @Bean
    Binding functionEventsBinding(AnonymousQueue functionEventsQueue) {
        return BindingBuilder.bind(functionEventsQueue)
                .to(InvocationTopology.eventsExchange())
                .with(Topology.FUNCTION_CHANGED_ROUTING_KEY);
    }

    /**
     * Invocation records for the registry (final states with their acceptance, RUNNING marks, retries), gathered
     * from the consumers into one confirmed message.
     */
    @Bean(destroyMethod = "close")
    RecordPublisher recordPublisher(RabbitTemplate rabbit, JsonMapper json, ContainerManagerProperties properties) {
        ContainerManagerProperties.Records records = properties.consumer().records();
        return new RecordPublisher(rabbit, json, records.linger(), records.maxBatch(), records.confirmTimeout());
    }

    /** JSON (Jackson 3) for replies and events, used by Boot's RabbitTemplate and listener factory. */
    @Bean
    MessageConverter jacksonMessageConverter(JsonMapper json) {
        return new JacksonJsonMessageConverter(json);
    }

    /** Persistent, mandatory, confirmed publishing: retries, callback requests. */
    @Bean
    ConfirmedPublisher confirmedPublisher(RabbitTemplate rabbit, ContainerManagerProperties properties) {
        return new ConfirmedPublisher(rabbit, properties.consumer().records().confirmTimeout());
    }

    /** Records, retries and deferrals go through a separate connection: broker flow control on them never stalls
     * the consumers. */
    @Bean
    RabbitTemplateCustomizer publisherConnection() {
        return template -> template.setUsePublisherConnection(true);
    }

    /**
     * {@code concurrency} consumers, each on its own virtual thread and channel with {@code prefetch} unacked
     * messages: a consumer runs its invocation to the end and acks it itself. Stopping waits up to the shutdown
     * grace for calls in progress, so their acks still go out on open channels.
     */
    @Bean
    SimpleMessageListenerContainer invocationListenerContainer(TransientPublisher transientPublisher,
                                                               InvocationListener listener,
                                                               ContainerManagerProperties properties) {
        ContainerManagerProperties.Consumer consumer = properties.consumer();
        // on the connection without confirms: replies go out on the consumer's own channel, unconfirmed
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(
                transientPublisher.connectionFactory());
        container.setQueueNames(Topology.nodeQueue(properties.node()));
        container.setMessageListener(listener);
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setConcurrentConsumers(consumer.concurrency());
        container.setPrefetchCount(consumer.prefetch());
        container.setDefaultRequeueRejected(false);
        container.setShutdownTimeout(consumer.shutdownGrace().toMillis());
        container.setMissingQueuesFatal(false);
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("invoke-");
        executor.setVirtualThreads(true);
        container.setTaskExecutor(executor);
        return container;
    }
}

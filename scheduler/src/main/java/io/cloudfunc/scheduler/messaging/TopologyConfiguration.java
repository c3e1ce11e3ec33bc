package io.cloudfunc.scheduler.messaging;

import io.cloudfunc.scheduler.SchedulerProperties;
import io.cloudfunc.support.messaging.ConfirmedPublisher;
import io.cloudfunc.support.messaging.RecordPublisher;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The scheduler's confirmed publishers (the platform's exchanges and queues are declared in every service by
 * platform-support's {@code MessagingTopology}).
 */
@Configuration(proxyBeanMethods = false)
class TopologyConfiguration {

    /** Forwards to the nodes: published, then confirmed by the broker before the intake message is acked. */
    @Bean
    ConfirmedPublisher confirmedPublisher(RabbitTemplate rabbit, SchedulerProperties properties) {
        return new ConfirmedPublisher(rabbit, properties.confirmTimeout());
    }

    /** QUEUED records of accepted asynchronous calls, and records of calls not run, to the registry. */
    @Bean
    RecordPublisher recordPublisher(RabbitTemplate rabbit, JsonMapper json, SchedulerProperties properties) {
        return new RecordPublisher(rabbit, json, properties.records().linger(), properties.records().maxBatch(),
                properties.confirmTimeout());
    }
}

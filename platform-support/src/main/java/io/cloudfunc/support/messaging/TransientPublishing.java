package io.cloudfunc.support.messaging;

import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionFactoryBeanConfigurer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** A {@link TransientPublisher} in every service that talks to RabbitMQ with Boot's configuration. */
@AutoConfiguration(afterName = "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.amqp.autoconfigure.RabbitConnectionFactoryBeanConfigurer")
@ConditionalOnBean({RabbitConnectionFactoryBeanConfigurer.class, CachingConnectionFactoryConfigurer.class})
public class TransientPublishing {

    @Bean(destroyMethod = "close")
    TransientPublisher transientPublisher(RabbitConnectionFactoryBeanConfigurer rabbitConfigurer,
                                          CachingConnectionFactoryConfigurer cachingConfigurer) {
        return new TransientPublisher(rabbitConfigurer, cachingConfigurer);
    }
}

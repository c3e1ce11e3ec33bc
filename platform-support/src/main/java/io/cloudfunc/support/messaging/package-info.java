/**
 * RabbitMQ declarations shared by the services: {@link io.cloudfunc.support.messaging.InvocationTopology} builds the
 * invocation exchange, queue and dead-lettering, and the events exchange, with the one set of arguments all of them
 * must agree on. Needs spring-amqp on the classpath (an optional dependency of this module).
 */
package io.cloudfunc.support.messaging;

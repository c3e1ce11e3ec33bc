/**
 * RabbitMQ pieces shared by the services: {@link io.cloudfunc.support.messaging.InvocationTopology} builds the
 * invocation exchange, queues and dead-lettering, the records queue and the events exchange, with the one set of
 * arguments all of them must agree on, as classic or quorum queues ({@link io.cloudfunc.support.messaging.QueueType},
 * {@code cloudfunc.messaging.queue-type}), and {@link io.cloudfunc.support.messaging.MessagingTopology} declares them
 * in every service; {@link io.cloudfunc.support.messaging.ConfirmedPublisher} is the one way to
 * publish a message that must not be lost (persistent, mandatory, confirmed); and
 * {@link io.cloudfunc.support.messaging.RecordPublisher} gathers invocation records into
 * {@code InvocationRecords} messages for the registry; {@link io.cloudfunc.support.messaging.InstanceQueue} is a
 * service instance's own exclusive, auto-delete queue of events and its consumer. Needs spring-rabbit on the classpath (an optional dependency
 * of this module).
 */
package io.cloudfunc.support.messaging;

/**
 * Queue triggers: one consumer per trigger (RabbitMQ queue, MQTT shared subscription, NATS JetStream consumer or
 * queue group, so that several schedulers share the messages), each message made an asynchronous invocation and
 * acknowledged once the broker confirmed it on the intake; the outcome (the invocation's reply) sends the message's
 * reply and its dead letter.
 */
package io.cloudfunc.scheduler.trigger;

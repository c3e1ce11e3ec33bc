/** Queue triggers: messages on RabbitMQ, MQTT or NATS that become asynchronous invocations of a function. */
package io.cloudfunc.contracts.trigger;

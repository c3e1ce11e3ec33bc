/** The gateway's share of the RabbitMQ topology. */
package io.cloudfunc.gateway.messaging;

/**
 * The shared RabbitMQ topology (docs/messaging.md), declared by the scheduler exactly as the container-manager
 * declares it, so that either service can start first.
 */
package io.cloudfunc.scheduler.messaging;

/**
 * The shared RabbitMQ topology (docs/messaging.md), declared by the scheduler exactly as every other service declares
 * it, so that any of them can start first, and the scheduler's confirmed publishers.
 */
package io.cloudfunc.scheduler.messaging;

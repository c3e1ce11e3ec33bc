/**
 * The scheduler service: application entry point and its configuration record. Features live in sub-packages:
 * {@code invocation} (the intake consumer), {@code placement} (which node runs a call: pure decisions),
 * {@code function} (the cache of resolved functions), {@code callback} (delivery of final records to callback URLs),
 * {@code registry} (the registry's REST client), {@code messaging} (the RabbitMQ topology and publishers) and
 * {@code web} (problem details).
 */
package io.cloudfunc.scheduler;

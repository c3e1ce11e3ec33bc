/**
 * The scheduler service: application entry point and its configuration record. Features live in sub-packages:
 * {@code invocation} (the synchronous invoke endpoint, publishing and reply correlation), {@code function} (the
 * cache of resolved functions), {@code registry} (the registry's REST client), {@code messaging} (the RabbitMQ
 * topology and listener containers) and {@code web} (problem details).
 */
package io.cloudfunc.scheduler;

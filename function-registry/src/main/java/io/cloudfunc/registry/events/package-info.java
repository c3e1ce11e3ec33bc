/**
 * What the registry announces on RabbitMQ's {@code cloudfunc.events} exchange after a commit: {@code FunctionChanged}
 * (deploys, deletes, aliases), {@code ApiKeyRevoked}, {@code ScheduleChanged} and {@code TriggerChanged}.
 */
package io.cloudfunc.registry.events;

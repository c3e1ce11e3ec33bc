/**
 * What the registry announces on RabbitMQ's {@code cloudfunc.events} exchange after a commit: {@code FunctionChanged}
 * (deploys, deletes, aliases) and {@code ApiKeyRevoked}.
 */
package io.cloudfunc.registry.events;

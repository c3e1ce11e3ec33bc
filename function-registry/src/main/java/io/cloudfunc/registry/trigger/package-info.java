/**
 * Queue triggers: their definitions (the broker URL sealed like a function's secrets), the schedulers' counts, and
 * the {@code TriggerChanged} event (sent after commit by the {@code events} package) that makes schedulers start or
 * stop consumers at once.
 */
package io.cloudfunc.registry.trigger;

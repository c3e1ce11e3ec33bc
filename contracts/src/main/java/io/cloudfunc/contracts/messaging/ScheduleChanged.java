package io.cloudfunc.contracts.messaging;

/**
 * Event published by the registry on {@link Topology#EVENTS_EXCHANGE} with routing key
 * {@link Topology#SCHEDULE_CHANGED_ROUTING_KEY} once a schedule was created, paused, resumed or deleted (or its
 * function deleted): schedulers claim due ticks again at once and learn the new earliest tick, instead of sleeping
 * until the one they knew.
 *
 * @param functionName the function
 * @param schedule     the schedule's name, or null when every schedule of the function changed
 */
public record ScheduleChanged(String functionName, String schedule) {
}

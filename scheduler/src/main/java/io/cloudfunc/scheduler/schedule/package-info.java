/**
 * Schedules' ticks: {@code ScheduleTicker} claims due ticks from the registry (which gives each tick to one claimant
 * only) and publishes each as an asynchronous {@code InvokeFunction} to the intake, sleeping until the next tick falls
 * due or a {@code ScheduleChanged} event wakes it.
 */
package io.cloudfunc.scheduler.schedule;

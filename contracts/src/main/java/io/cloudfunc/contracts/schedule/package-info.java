/**
 * Schedules: a function run on a cron expression or a fixed interval. The public and internal HTTP shapes
 * ({@link io.cloudfunc.contracts.schedule.ScheduleRequest}, {@link io.cloudfunc.contracts.schedule.ScheduleView}) and
 * the ticks a scheduler claims from the registry ({@link io.cloudfunc.contracts.schedule.ScheduleTicks}).
 */
package io.cloudfunc.contracts.schedule;

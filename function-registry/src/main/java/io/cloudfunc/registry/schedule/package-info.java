/**
 * Schedules of functions: their definitions (CRUD under {@code /internal/functions/{name}/schedules}), the parsing of
 * their expressions ({@code ScheduleExpression}: five-field cron in a time zone, or {@code @every <duration>}), and
 * the claims of due ticks by the schedulers ({@code POST /internal/schedule-ticks/claims}), one claimant per tick.
 */
package io.cloudfunc.registry.schedule;

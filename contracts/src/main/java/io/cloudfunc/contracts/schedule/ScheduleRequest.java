package io.cloudfunc.contracts.schedule;

import tools.jackson.databind.JsonNode;

/**
 * {@code POST /functions/{name}/schedules}: a new schedule of a function.
 *
 * @param name     the schedule's name within the function (a function name's rule); absent: one is generated
 * @param cron     five-field cron ({@code minute hour day-of-month month day-of-week}) or {@code @every 30s}
 * @param timezone a time zone id ({@code Europe/Paris}) the cron fields are read in; absent: {@code UTC}
 * @param data     a JSON object, the event of every tick (inside the envelope, docs/api.md); absent: {@code {}}
 */
public record ScheduleRequest(String name, String cron, String timezone, JsonNode data) {
}

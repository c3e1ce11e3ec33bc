package io.cloudfunc.registry.schedule;

import io.cloudfunc.contracts.schedule.ScheduleRequest;
import io.cloudfunc.contracts.schedule.ScheduleTicks;
import io.cloudfunc.contracts.schedule.ScheduleView;
import io.cloudfunc.support.problem.JsonProblems;
import io.cloudfunc.support.problem.Problems;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /internal/functions/{name}/schedules}: a function's schedules (the gateway relays them), and
 * {@code /internal/schedule-ticks/claims}: the schedulers' claims of due ticks.
 */
@RestController
class ScheduleController {

    private static final int MAX_CLAIM = 1000;

    private final ScheduleService schedules;
    private final JsonMapper json;

    ScheduleController(ScheduleService schedules, JsonMapper json) {
        this.schedules = schedules;
        this.json = json;
    }

    @PostMapping(value = "/internal/functions/{name}/schedules", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ScheduleView> create(@PathVariable String name, @RequestBody(required = false) byte[] body) {
        ScheduleRequest request = JsonProblems.readStrict(json, body, ScheduleRequest.class, "the body");
        ScheduleView created = schedules.create(name, request);
        return ResponseEntity.created(URI.create("/internal/functions/" + name + "/schedules/" + created.name()))
                .body(created);
    }

    @GetMapping("/internal/functions/{name}/schedules")
    List<ScheduleView> list(@PathVariable String name) {
        return schedules.list(name);
    }

    @GetMapping("/internal/functions/{name}/schedules/{schedule}")
    ScheduleView get(@PathVariable String name, @PathVariable String schedule) {
        return schedules.get(name, schedule);
    }

    @PostMapping("/internal/functions/{name}/schedules/{schedule}/pause")
    ScheduleView pause(@PathVariable String name, @PathVariable String schedule) {
        return schedules.pause(name, schedule);
    }

    @PostMapping("/internal/functions/{name}/schedules/{schedule}/resume")
    ScheduleView resume(@PathVariable String name, @PathVariable String schedule) {
        return schedules.resume(name, schedule);
    }

    @DeleteMapping("/internal/functions/{name}/schedules/{schedule}")
    ResponseEntity<Void> delete(@PathVariable String name, @PathVariable String schedule) {
        schedules.delete(name, schedule);
        return ResponseEntity.noContent().build();
    }

    /** Claims the due ticks, at most {@code limit} (100 by default, at most 1000). */
    @PostMapping("/internal/schedule-ticks/claims")
    ScheduleTicks claim(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_CLAIM) {
            throw Problems.invalidRequest("limit must be between 1 and " + MAX_CLAIM);
        }
        return schedules.claim(limit);
    }
}

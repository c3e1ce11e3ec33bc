package io.cloudfunc.gateway.schedule;

import io.cloudfunc.gateway.downstream.FunctionItemsRelay;
import io.cloudfunc.gateway.downstream.RegistryService;
import io.cloudfunc.gateway.web.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /functions/{name}/schedules}: create, list, read, pause, resume and delete a function's schedules. The
 * registry checks the body (cron, time zone, data) and keeps them; the schedulers run their ticks.
 */
@RestController
@RequestMapping("/functions/{name}/schedules")
class ScheduleController {

    /** A schedule's body: its data (64 KB at most, checked by the registry) and a few short fields. */
    private static final long MAX_BODY = 80 * 1024;

    private final FunctionItemsRelay schedules;

    ScheduleController(RegistryService registry) {
        this.schedules = new FunctionItemsRelay(registry, "schedule",
                "a schedule name is 1 to 63 lowercase letters, digits, dashes and underscores.");
    }

    /** 201 with Location {@code /functions/{name}/schedules/{schedule}}. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> createSchedule(@PathVariable String name, HttpServletRequest request) {
        return schedules.create(name, RequestBodies.read(request, MAX_BODY, "a schedule"));
    }

    @GetMapping
    ResponseEntity<byte[]> listSchedules(@PathVariable String name) {
        return schedules.list(name);
    }

    @GetMapping("/{schedule}")
    ResponseEntity<byte[]> getSchedule(@PathVariable String name, @PathVariable String schedule) {
        return schedules.get(name, schedule);
    }

    @PostMapping("/{schedule}/pause")
    ResponseEntity<byte[]> pauseSchedule(@PathVariable String name, @PathVariable String schedule) {
        return schedules.act(name, schedule, "pause");
    }

    @PostMapping("/{schedule}/resume")
    ResponseEntity<byte[]> resumeSchedule(@PathVariable String name, @PathVariable String schedule) {
        return schedules.act(name, schedule, "resume");
    }

    @DeleteMapping("/{schedule}")
    ResponseEntity<byte[]> deleteSchedule(@PathVariable String name, @PathVariable String schedule) {
        return schedules.delete(name, schedule);
    }
}

package io.cloudfunc.gateway.schedule;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.gateway.downstream.RegistryService;
import io.cloudfunc.gateway.web.RequestBodies;
import io.cloudfunc.support.problem.Problems;
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

    private final RegistryService registry;

    ScheduleController(RegistryService registry) {
        this.registry = registry;
    }

    /** 201 with Location {@code /functions/{name}/schedules/{schedule}}. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> createSchedule(@PathVariable String name, HttpServletRequest request) {
        byte[] body = RequestBodies.read(request, MAX_BODY, "a schedule");
        return registry.relayCreated(registry.post(path(name), MediaType.APPLICATION_JSON_VALUE, body),
                "/functions/" + name + "/schedules");
    }

    @GetMapping
    ResponseEntity<byte[]> listSchedules(@PathVariable String name) {
        return registry.relay(registry.get(path(name)));
    }

    @GetMapping("/{schedule}")
    ResponseEntity<byte[]> getSchedule(@PathVariable String name, @PathVariable String schedule) {
        return registry.relay(registry.get(path(name, schedule)));
    }

    @PostMapping("/{schedule}/pause")
    ResponseEntity<byte[]> pauseSchedule(@PathVariable String name, @PathVariable String schedule) {
        return registry.relay(registry.post(path(name, schedule) + "/pause", MediaType.APPLICATION_JSON_VALUE,
                new byte[0]));
    }

    @PostMapping("/{schedule}/resume")
    ResponseEntity<byte[]> resumeSchedule(@PathVariable String name, @PathVariable String schedule) {
        return registry.relay(registry.post(path(name, schedule) + "/resume", MediaType.APPLICATION_JSON_VALUE,
                new byte[0]));
    }

    @DeleteMapping("/{schedule}")
    ResponseEntity<byte[]> deleteSchedule(@PathVariable String name, @PathVariable String schedule) {
        return registry.relay(registry.delete(path(name, schedule)));
    }

    private static String path(String name) {
        if (!FunctionNames.isValid(name)) {
            throw Problems.invalidName(name);
        }
        return "/internal/functions/" + name + "/schedules";
    }

    private static String path(String name, String schedule) {
        if (!FunctionNames.isValid(schedule)) {
            throw Problems.invalidRequest("Invalid schedule name '" + schedule + "': a schedule name is 1 to 63 "
                    + "lowercase letters, digits, dashes and underscores.").with("schedule", schedule);
        }
        return path(name) + "/" + schedule;
    }
}

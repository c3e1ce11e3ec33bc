package io.cloudfunc.gateway.invocation;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.gateway.GatewayProperties;
import io.cloudfunc.gateway.downstream.SchedulerService;
import io.cloudfunc.gateway.web.RequestBodies;
import io.cloudfunc.support.http.BufferedResponse;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /functions/{name}/invoke}: the body is the event (any JSON value, empty means {@code {}}), sent as
 * {@code application/json} (or with no content type). The hot path: the name and the event are checked, the bytes
 * are forwarded as they are on a kept-alive connection, and the scheduler's answer is mapped to HTTP.
 */
@RestController
class InvokeController {

    private final SchedulerService scheduler;
    private final JsonMapper json;
    private final long maxEventBytes;

    InvokeController(SchedulerService scheduler, GatewayProperties properties, JsonMapper json) {
        this.scheduler = scheduler;
        this.json = json;
        this.maxEventBytes = properties.maxEventSize().toBytes();
    }

    @PostMapping("/functions/{name}/invoke")
    ResponseEntity<?> invoke(@PathVariable String name, HttpServletRequest request) {
        long received = System.nanoTime();
        if (!FunctionNames.isValid(name)) {
            throw Problems.invalidName(name);
        }
        checkContentType(request.getContentType());
        byte[] event = Events.checked(RequestBodies.read(request, maxEventBytes, "the event"), json);
        BufferedResponse response = scheduler.post("/internal/functions/" + name + "/invoke",
                MediaType.APPLICATION_JSON_VALUE, event);
        if (response.status() != 200) {
            // The scheduler's own problems (404 unknown function, 504 no reply, 503 broker down) pass through.
            return scheduler.relay(response);
        }
        InvocationCompleted completed;
        try {
            completed = json.readValue(response.body(), InvocationCompleted.class);
        } catch (JacksonException e) {
            throw scheduler.unexpected(response);
        }
        if (completed == null || completed.status() == null) {
            throw scheduler.unexpected(response);
        }
        ResponseEntity<?> answer = InvocationResponses.toResponse(completed, json);
        // the platform's whole time for the call, cold start included (X-CloudFunc-Duration-Ms is the function's)
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(InvocationResponses.TOTAL_MS, Long.toString((System.nanoTime() - received) / 1_000_000))
                .body(answer.getBody());
    }

    private static void checkContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            if (MediaType.APPLICATION_JSON.isCompatibleWith(type) && !type.isWildcardType()
                    || "json".equals(type.getSubtypeSuffix())) {
                return;
            }
        } catch (InvalidMediaTypeException e) {
            // falls through to 415
        }
        throw Problems.unsupportedMediaType("The event must be sent as application/json, not " + contentType + ".");
    }
}

package io.cloudfunc.gateway.invocation;

import io.cloudfunc.contracts.auth.InternalHeaders;
import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.function.FunctionRefs;
import io.cloudfunc.contracts.invocation.AsyncInvocationAccepted;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.gateway.GatewayProperties;
import io.cloudfunc.gateway.auth.Caller;
import io.cloudfunc.gateway.downstream.SchedulerService;
import io.cloudfunc.gateway.web.RequestBodies;
import io.cloudfunc.support.callback.CallbackUrls;
import io.cloudfunc.support.http.BufferedResponse;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /functions/{ref}/invoke}: the body is the event (any JSON value, empty means {@code {}}), sent as
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

    /** {@code ref}: {@code name} (latest version), {@code name:3} or {@code name:prod} (an alias). */
    @PostMapping("/functions/{ref}/invoke")
    ResponseEntity<?> invoke(@PathVariable("ref") String name, HttpServletRequest request) {
        long received = System.nanoTime();
        if (FunctionRefs.parse(name) == null) {
            int colon = name.indexOf(':');
            if (colon < 0 || !FunctionNames.isValid(name.substring(0, colon))) {
                throw Problems.invalidName(colon < 0 ? name : name.substring(0, colon));
            }
            throw Problems.invalidRequest("Invalid function reference '" + name + "': " + FunctionRefs.REF_RULE
                    + ".").with("functionName", name.substring(0, colon));
        }
        checkContentType(request.getContentType());
        boolean async = isAsync(request);
        String callbackUrl = request.getParameter("callbackUrl");
        if (callbackUrl != null && !async) {
            throw Problems.invalidRequest("callbackUrl is only for asynchronous calls: add 'Prefer: respond-async'"
                    + " or ?async=true.");
        }
        byte[] event = Events.checked(RequestBodies.read(request, maxEventBytes, "the event"), json);
        // the scheduler records the call for the caller's key (an invoker reads only its own)
        Map<String, String> caller = Map.of(InternalHeaders.API_KEY_ID, Caller.of(request).keyId().toString());
        if (async) {
            return accept(name, event, callbackUrl, caller);
        }
        BufferedResponse response = scheduler.post("/internal/functions/" + name + "/invoke",
                MediaType.APPLICATION_JSON_VALUE, event, caller);
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

    /**
     * Hands the call to the scheduler's asynchronous path: 202, {@code Location: /invocations/{id}} and
     * {@code Preference-Applied: respond-async}, once RabbitMQ confirmed the message and the record is QUEUED.
     */
    private ResponseEntity<?> accept(String name, byte[] event, String callbackUrl, Map<String, String> caller) {
        String path = "/internal/functions/" + name + "/invoke?async=true" + (callbackUrl == null ? ""
                : "&callbackUrl=" + URLEncoder.encode(CallbackUrls.checked(callbackUrl), StandardCharsets.UTF_8));
        BufferedResponse response = scheduler.post(path, MediaType.APPLICATION_JSON_VALUE, event, caller);
        if (response.status() != 202) {
            return scheduler.relay(response);
        }
        AsyncInvocationAccepted accepted;
        try {
            accepted = json.readValue(response.body(), AsyncInvocationAccepted.class);
        } catch (JacksonException e) {
            throw scheduler.unexpected(response);
        }
        return ResponseEntity.accepted()
                .location(URI.create("/invocations/" + accepted.invocationId()))
                .header("Preference-Applied", "respond-async")
                .header(InvocationResponses.INVOCATION_ID, accepted.invocationId().toString())
                .contentType(MediaType.APPLICATION_JSON)
                .body(response.body());
    }

    /** {@code Prefer: respond-async} (RFC 7240, any of several preferences) or {@code ?async=true}. */
    static boolean isAsync(HttpServletRequest request) {
        String flag = request.getParameter("async");
        if (flag != null) {
            if (flag.equalsIgnoreCase("true")) {
                return true;
            }
            if (!flag.equalsIgnoreCase("false")) {
                throw Problems.invalidRequest("async must be true or false, not '" + flag + "'.");
            }
        }
        var prefer = request.getHeaders("Prefer");
        while (prefer != null && prefer.hasMoreElements()) {
            for (String preference : prefer.nextElement().split(",")) {
                String token = preference.split(";", 2)[0].strip();
                if (token.equalsIgnoreCase("respond-async")) {
                    return true;
                }
            }
        }
        return false;
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

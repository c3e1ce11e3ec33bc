package io.cloudfunc.gateway.invocation;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.gateway.auth.Caller;
import io.cloudfunc.gateway.downstream.RegistryService;
import io.cloudfunc.support.http.BufferedResponse;
import jakarta.servlet.http.HttpServletRequest;
import io.cloudfunc.support.problem.Problems;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Invocation logs (docs/api.md, "Logs"): {@code GET /invocations/{id}/logs} and {@code GET /functions/{name}/logs}.
 * Both answer JSON ({@code InvocationLogs}, one or a list); the registry reads them, the gateway checks the input.
 */
@RestController
class InvocationLogsController {

    static final int MAX_LIMIT = 1000;

    private final RegistryService registry;

    InvocationLogsController(RegistryService registry) {
        this.registry = registry;
    }

    /** An invoker key reads only the logs of invocations it made; another's are "not found", as for the record. */
    @GetMapping("/invocations/{id}/logs")
    ResponseEntity<byte[]> ofInvocation(@PathVariable String id, HttpServletRequest request) {
        String invocation = invocationId(id);
        UUID owner = Caller.of(request).ownerFilter();
        if (owner != null) {
            BufferedResponse record = registry.get("/internal/invocations/" + invocation + "?apiKeyId=" + owner);
            if (record.status() != 200) {
                return registry.relay(record);
            }
        }
        return registry.relay(registry.get("/internal/invocations/" + invocation + "/logs"));
    }

    /**
     * The latest {@code limit} invocations' logs, oldest first; with {@code since}, the first {@code limit} that
     * finished after it (and after {@code afterId} among those that finished at that very instant): the cursor
     * {@code cloudfunc logs --follow} passes back from the last entry it printed.
     */
    @GetMapping("/functions/{name}/logs")
    ResponseEntity<byte[]> ofFunction(@PathVariable String name, @RequestParam(required = false) String since,
                                      @RequestParam(required = false) String afterId,
                                      @RequestParam(required = false) String limit) {
        if (!FunctionNames.isValid(name)) {
            throw Problems.invalidName(name);
        }
        StringBuilder query = new StringBuilder();
        if (since != null) {
            query.append("&after=").append(encode(instant(since).toString()));
        }
        if (afterId != null) {
            if (since == null) {
                throw Problems.invalidRequest("afterId needs since (the finishedAt of that invocation).");
            }
            query.append("&afterId=").append(invocationId(afterId));
        }
        if (limit != null) {
            query.append("&limit=").append(limit(limit));
        }
        String path = "/internal/functions/" + name + "/logs" + (query.isEmpty() ? "" : "?" + query.substring(1));
        return registry.relay(registry.get(path));
    }

    private static String invocationId(String id) {
        if (!InvocationRecordController.UUID_TEXT.matcher(id).matches()) {
            throw Problems.invalidRequest("'" + id + "' is not an invocation id (a UUID such as "
                    + "3f1c2b9e-6d2a-4c51-9a43-0c2f5e7d8b10).");
        }
        return id.toLowerCase(Locale.ROOT);
    }

    private static Instant instant(String since) {
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw Problems.invalidRequest("since must be an ISO-8601 instant such as 2026-03-01T10:00:00Z, got '"
                    + since + "'.");
        }
    }

    private static int limit(String limit) {
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Problems.invalidRequest("limit must be a whole number from 1 to " + MAX_LIMIT + ", got '" + limit
                + "'.");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

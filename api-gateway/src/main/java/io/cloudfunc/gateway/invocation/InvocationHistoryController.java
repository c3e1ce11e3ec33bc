package io.cloudfunc.gateway.invocation;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.gateway.auth.Caller;
import io.cloudfunc.gateway.downstream.RegistryService;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /functions/{name}/invocations} (history: status, from, to, limit, cursor) and {@code GET /dead-letters}
 * (function, from, to, limit, cursor), answered by the registry, which checks the filters (400 problems). Only the
 * known parameters are passed on, re-encoded.
 */
@RestController
class InvocationHistoryController {

    private final RegistryService registry;

    InvocationHistoryController(RegistryService registry) {
        this.registry = registry;
    }

    @GetMapping("/functions/{name}/invocations")
    ResponseEntity<byte[]> history(@PathVariable String name, @RequestParam(required = false) String status,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor,
            HttpServletRequest request) {
        if (!FunctionNames.isValid(name)) {
            throw Problems.invalidName(name);
        }
        var query = new LinkedHashMap<String, String>();
        query.put("status", status);
        query.put("from", from);
        query.put("to", to);
        query.put("limit", limit);
        query.put("cursor", cursor);
        // an invoker key sees only the calls it made
        UUID owner = Caller.of(request).ownerFilter();
        query.put("apiKeyId", owner == null ? null : owner.toString());
        return registry.relay(registry.get("/internal/functions/" + name + "/invocations" + encode(query)));
    }

    @GetMapping("/dead-letters")
    ResponseEntity<byte[]> deadLetters(@RequestParam(required = false) String function,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        var query = new LinkedHashMap<String, String>();
        query.put("function", function);
        query.put("from", from);
        query.put("to", to);
        query.put("limit", limit);
        query.put("cursor", cursor);
        return registry.relay(registry.get("/internal/dead-letters" + encode(query)));
    }

    private static String encode(Map<String, String> query) {
        var joined = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((key, value) -> {
            if (value != null) {
                joined.add(key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return joined.toString();
    }
}

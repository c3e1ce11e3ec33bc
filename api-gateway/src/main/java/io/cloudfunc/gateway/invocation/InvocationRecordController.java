package io.cloudfunc.gateway.invocation;

import io.cloudfunc.gateway.auth.Caller;
import io.cloudfunc.gateway.downstream.RegistryService;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /invocations/{id}}: an invocation record (status, timings, result or error, logs) from the registry. */
@RestController
class InvocationRecordController {

    static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final RegistryService registry;

    InvocationRecordController(RegistryService registry) {
        this.registry = registry;
    }

    /** An invoker key reads only the invocations it made; another's is "not found", as if it did not exist. */
    @GetMapping("/invocations/{id}")
    ResponseEntity<byte[]> invocation(@PathVariable String id, HttpServletRequest request) {
        if (!UUID_TEXT.matcher(id).matches()) {
            throw Problems.invalidRequest("'" + id + "' is not an invocation id (a UUID such as "
                    + "3f1c2b9e-6d2a-4c51-9a43-0c2f5e7d8b10).");
        }
        UUID owner = Caller.of(request).ownerFilter();
        return registry.relay(registry.get("/internal/invocations/" + id.toLowerCase(Locale.ROOT)
                + (owner == null ? "" : "?apiKeyId=" + owner)));
    }
}

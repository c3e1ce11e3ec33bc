package io.cloudfunc.registry.invocation;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.invocation.InvocationLogs;
import io.cloudfunc.registry.problem.RegistryProblems;
import io.cloudfunc.support.problem.Problems;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Invocation logs (docs/architecture.md, "function-registry internal API"): one invocation's, and a function's
 * in the order its invocations finished, for {@code cloudfunc logs} and its {@code --follow}.
 */
@RestController
class InvocationLogsController {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 1000;

    private final InvocationLogsQueries queries;
    private final RecordWait recordWait;

    InvocationLogsController(InvocationLogsQueries queries, RecordWait recordWait) {
        this.queries = queries;
        this.recordWait = recordWait;
    }

    /** Like the record, waited for a moment when the call was accepted just now ({@link RecordWait}). */
    @GetMapping("/internal/invocations/{id}/logs")
    InvocationLogs ofInvocation(@PathVariable UUID id) {
        return recordWait.read(id, () -> queries.ofInvocation(id))
                .orElseThrow(() -> RegistryProblems.invocationNotFound(id));
    }

    /**
     * Without {@code after}: the {@code limit} latest finished invocations, oldest first. With it: the first
     * {@code limit} that finished after it (and after {@code afterId} among those finished at that very instant).
     * A name with no function and no invocation is 404, so that a typo is not answered with silence.
     */
    @GetMapping("/internal/functions/{name}/logs")
    @Transactional(readOnly = true)
    List<InvocationLogs> ofFunction(@PathVariable String name, @RequestParam(required = false) String after,
                                    @RequestParam(required = false) UUID afterId,
                                    @RequestParam(required = false) Integer limit) {
        if (!FunctionNames.isValid(name)) {
            throw Problems.invalidRequest("invalid function name '" + name + "': " + FunctionNames.RULE);
        }
        int count = limit == null ? DEFAULT_LIMIT : limit;
        if (count < 1 || count > MAX_LIMIT) {
            throw Problems.invalidRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + count);
        }
        if (afterId != null && after == null) {
            throw Problems.invalidRequest("afterId needs after (the finishedAt of that invocation)");
        }
        List<InvocationLogs> logs = after == null ? queries.latest(name, count)
                : queries.after(name, instant(after), afterId, count);
        if (logs.isEmpty() && after == null && !queries.functionExists(name)) {
            throw RegistryProblems.functionNotFound(name);
        }
        return logs;
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw Problems.invalidRequest("after must be an ISO-8601 instant such as 2026-03-01T10:00:00Z, got '"
                    + value + "'");
        }
    }
}

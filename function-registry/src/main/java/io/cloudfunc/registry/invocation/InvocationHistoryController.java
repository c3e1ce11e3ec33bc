package io.cloudfunc.registry.invocation;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.invocation.InvocationPage;
import io.cloudfunc.registry.problem.RegistryProblems;
import io.cloudfunc.support.problem.Problems;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Listings of invocation records, newest first with an opaque cursor: a function's history, and the dead letters
 * (ASYNC calls whose last attempt failed) of all functions or one.
 */
@RestController
class InvocationHistoryController {

    private final InvocationService service;

    InvocationHistoryController(InvocationService service) {
        this.service = service;
    }

    @GetMapping("/internal/functions/{name}/invocations")
    InvocationPage history(@PathVariable String name,
                           @RequestParam(required = false) String status,
                           @RequestParam(required = false) String from,
                           @RequestParam(required = false) String to,
                           @RequestParam(required = false) String limit,
                           @RequestParam(required = false) String cursor,
                           @RequestParam(required = false) UUID apiKeyId) {
        checkName(name);
        HistoryQuery query = HistoryQuery.parse(name, status, from, to, limit, cursor);
        if (!service.functionExists(name)) {
            throw RegistryProblems.functionNotFound(name);
        }
        // with apiKeyId (the gateway sets it for invoker keys): only the calls that key made
        return service.page(query, false, apiKeyId);
    }

    @GetMapping("/internal/dead-letters")
    InvocationPage deadLetters(@RequestParam(required = false) String function,
                               @RequestParam(required = false) String from,
                               @RequestParam(required = false) String to,
                               @RequestParam(required = false) String limit,
                               @RequestParam(required = false) String cursor) {
        String name = function == null || function.isBlank() ? null : checkName(function.strip());
        return service.page(HistoryQuery.parse(name, null, from, to, limit, cursor), true, null);
    }

    private static String checkName(String name) {
        if (!FunctionNames.isValid(name)) {
            throw Problems.invalidRequest("invalid function name '" + name + "': " + FunctionNames.RULE);
        }
        return name;
    }
}

package io.cloudfunc.scheduler.function;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.support.problem.Problems;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code DELETE /internal/function-cache/{name}}: forgets what this scheduler resolved for a function. The gateway
 * calls it after a deploy, a configuration update, an alias change or a delete went through it, so that the call a
 * client makes right after sees the change; the {@code FunctionChanged} event does the same a moment later for
 * changes made elsewhere.
 */
@RestController
class FunctionCacheController {

    private final FunctionResolver resolver;

    FunctionCacheController(FunctionResolver resolver) {
        this.resolver = resolver;
    }

    /**
     * @param version after a deploy or a configuration update, the function's new latest version: a latest version
     *                cached at it or later (the registry's event brought it first) is then kept
     */
    @DeleteMapping("/internal/function-cache/{name}")
    ResponseEntity<Void> forget(@PathVariable String name, @RequestParam(required = false) Integer version) {
        if (!FunctionNames.isValid(name)) {
            throw Problems.invalidName(name);
        }
        if (version != null && version > 0) {
            resolver.invalidate(name, version);
        } else {
            resolver.invalidate(name);
        }
        return ResponseEntity.noContent().build();
    }
}

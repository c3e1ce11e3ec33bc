package io.cloudfunc.gateway.stats;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.gateway.downstream.RegistryService;
import io.cloudfunc.support.problem.Problems;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Statistics over a window ({@code ?window=1h}, 1m to 30d); the registry computes and checks them. */
@RestController
class StatsController {

    private final RegistryService registry;

    StatsController(RegistryService registry) {
        this.registry = registry;
    }

    @GetMapping("/stats")
    ResponseEntity<byte[]> all(@RequestParam(required = false) String window) {
        return registry.relay(registry.get("/internal/stats" + query(window)));
    }

    /** Also at {@code /stats/functions/{name}}, where seed 002 has it. */
    @GetMapping({"/functions/{name}/stats", "/stats/functions/{name}"})
    ResponseEntity<byte[]> function(@PathVariable String name, @RequestParam(required = false) String window) {
        if (!FunctionNames.isValid(name)) {
            throw Problems.invalidName(name);
        }
        return registry.relay(registry.get("/internal/functions/" + name + "/stats" + query(window)));
    }

    private static String query(String window) {
        return window == null ? "" : "?window=" + URLEncoder.encode(window, StandardCharsets.UTF_8);
    }
}

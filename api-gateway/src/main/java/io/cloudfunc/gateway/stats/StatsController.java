package io.cloudfunc.gateway.stats;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.gateway.downstream.RegistryService;
import io.cloudfunc.support.problem.Problems;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Statistics over a window ({@code ?window=1h}, 1m to 30d) and over time ({@code /stats/series}, per step); the
 * registry computes and checks them.
 */
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

    /** Per step: {@code ?function=&from=&to=&step=}, each optional (docs/api.md, "Statistics over time"). */
    @GetMapping("/stats/series")
    ResponseEntity<byte[]> series(@RequestParam(required = false) String function,
                                  @RequestParam(required = false) String from,
                                  @RequestParam(required = false) String to,
                                  @RequestParam(required = false) String step) {
        return registry.relay(registry.get("/internal/stats/series"
                + query(Map.of("function", optional(function), "from", optional(from), "to", optional(to),
                        "step", optional(step)))));
    }

    /** Warm containers per node, per step: {@code ?from=&to=&step=}. */
    @GetMapping("/stats/series/nodes")
    ResponseEntity<byte[]> nodeSeries(@RequestParam(required = false) String from,
                                      @RequestParam(required = false) String to,
                                      @RequestParam(required = false) String step) {
        return registry.relay(registry.get("/internal/stats/series/nodes"
                + query(Map.of("from", optional(from), "to", optional(to), "step", optional(step)))));
    }

    private static Optional<String> optional(String value) {
        return Optional.ofNullable(value);
    }

    /** The parameters given, in a stable order, encoded. */
    private static String query(Map<String, Optional<String>> parameters) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        new TreeMap<>(parameters).forEach((name, value) -> value.ifPresent(v ->
                query.add(name + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8))));
        return query.toString();
    }

    private static String query(String window) {
        return window == null ? "" : "?window=" + URLEncoder.encode(window, StandardCharsets.UTF_8);
    }
}

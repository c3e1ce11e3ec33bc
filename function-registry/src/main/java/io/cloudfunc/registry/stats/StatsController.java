package io.cloudfunc.registry.stats;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.stats.FunctionStats;
import io.cloudfunc.contracts.stats.FunctionStatsView;
import io.cloudfunc.contracts.stats.StatsView;
import io.cloudfunc.registry.problem.RegistryProblems;
import io.cloudfunc.support.problem.Problems;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /internal/stats?window=1h} (totals and each existing function called in the window) and
 * {@code GET /internal/functions/{name}/stats?window=1h} (404 for a function that does not exist; with its figures per
 * version too, which is how a traffic split between versions is compared). The window ends
 * now. Only functions that exist have statistics: see {@link StatsRepository}.
 */
@RestController
class StatsController {

    private final StatsRepository stats;

    StatsController(StatsRepository stats) {
        this.stats = stats;
    }

    @GetMapping("/internal/stats")
    StatsView all(@RequestParam(required = false) String window) {
        StatsWindow parsed = StatsWindow.parse(window);
        Instant to = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant from = to.minus(parsed.duration());
        List<FunctionStats> rows = stats.stats(from, to, null);
        FunctionStats total = rows.isEmpty() || rows.getFirst().functionName() != null ? empty(null) : rows.getFirst();
        List<FunctionStats> functions = rows.stream().filter(row -> row.functionName() != null).toList();
        return new StatsView(parsed.text(), from, to, total, functions);
    }

    @GetMapping("/internal/functions/{name}/stats")
    FunctionStatsView function(@PathVariable String name, @RequestParam(required = false) String window) {
        if (!FunctionNames.isValid(name)) {
            throw Problems.invalidName(name);
        }
        StatsWindow parsed = StatsWindow.parse(window);
        if (!stats.functionExists(name)) {
            throw RegistryProblems.functionNotFound(name);
        }
        Instant to = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant from = to.minus(parsed.duration());
        FunctionStats row = stats.stats(from, to, name).stream()
                .filter(stat -> name.equals(stat.functionName())).findFirst().orElseGet(() -> empty(name));
        return new FunctionStatsView(parsed.text(), from, to, row, stats.byVersion(from, to, name));
    }

    private static FunctionStats empty(String name) {
        return new FunctionStats(name, 0, 0, 0, 0, 0, new FunctionStats.Durations(null, null, null, null, 0), null);
    }
}

package io.cloudfunc.registry.series;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.node.SeenNode;
import io.cloudfunc.contracts.stats.NodeSeriesView;
import io.cloudfunc.contracts.stats.SeriesView;
import io.cloudfunc.registry.RegistryProperties;
import io.cloudfunc.registry.problem.RegistryProblems;
import io.cloudfunc.support.problem.Problems;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /internal/stats/series?function=&from=&to=&step=} (one function, or all existing ones when
 * {@code function} is absent; 404 for a function that does not exist) and
 * {@code GET /internal/stats/series/nodes?from=&to=&step=}. The window and step rules are {@link SeriesRequest}'s.
 * And {@code GET /internal/nodes/seen?since=}: the nodes that sent a sample since then, for a scheduler that starts
 * after a node died to learn of that node and take over its queue.
 */
@RestController
class SeriesController {

    private final SeriesRepository series;
    private final Duration minutesKept;

    SeriesController(SeriesRepository series, RegistryProperties properties) {
        this.series = series;
        this.minutesKept = properties.series().minutesKept();
    }

    @GetMapping("/internal/stats/series")
    SeriesView invocations(@RequestParam(required = false) String function,
                           @RequestParam(required = false) String from,
                           @RequestParam(required = false) String to,
                           @RequestParam(required = false) String step) {
        String name = function == null || function.isEmpty() ? null : function;
        if (name != null && !FunctionNames.isValid(name)) {
            throw Problems.invalidName(name);
        }
        SeriesRequest request = SeriesRequest.parse(from, to, step, Instant.now(), minutesKept);
        if (name != null && !series.functionExists(name)) {
            throw RegistryProblems.functionNotFound(name);
        }
        return new SeriesView(name, request.from(), request.to(), request.step().text(),
                series.invocations(request, name));
    }

    @GetMapping("/internal/stats/series/nodes")
    NodeSeriesView nodes(@RequestParam(required = false) String from,
                         @RequestParam(required = false) String to,
                         @RequestParam(required = false) String step) {
        SeriesRequest request = SeriesRequest.parse(from, to, step, Instant.now(), minutesKept);
        return new NodeSeriesView(request.from(), request.to(), request.step().text(), series.nodes(request));
    }

    @GetMapping("/internal/nodes/seen")
    List<SeenNode> seenNodes(@RequestParam(required = false) String since) {
        if (since == null || since.isBlank()) {
            throw Problems.invalidRequest("since is required: an ISO-8601 instant such as 2026-05-01T10:00:00Z");
        }
        return series.seenNodes(SeriesRequest.instant("since", since));
    }
}

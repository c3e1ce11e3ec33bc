package io.cloudfunc.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code cloudfunc stats [NAME] [--window 1h]}: invocation counts, duration percentiles, cold-start ratio; for one
 * function that ran several versions in the window (a traffic split), a row per version too.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Invocation statistics of all functions, or of NAME (and of each of its versions that ran, "
                + "e.g. the two sides of a split alias), over a window.")
final class StatsCommand implements Callable<Integer> {

    private static final String[] HEADERS = {"FUNCTION", "CALLS", "OK", "ERRORS", "TIMEOUTS", "P50 MS", "P95 MS",
            "P99 MS", "COLD %"};
    private static final String[] FIELDS = {"functionName", "invocations", "succeeded", "errors", "timeouts", "p50",
            "p95", "p99", "cold"};

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "Function (default: all).")
    String name;

    @Option(names = "--window", defaultValue = "1h", description = "How far back: 15m, 1h, 7d, ... up to 30d "
            + "(default ${DEFAULT-VALUE}).")
    String window;

    @Override
    public Integer call() {
        String query = "?window=" + URLEncoder.encode(window, StandardCharsets.UTF_8);
        var client = cli.client();
        JsonNode stats = client.json(client.get(name == null ? "/stats" + query
                : "/functions/" + CloudFuncCli.validName(name) + "/stats" + query));
        var out = spec.commandLine().getOut();
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            Output.json(out, stats);
            return ExitCodes.OK;
        }
        List<JsonNode> rows = new ArrayList<>();
        if (name == null) {
            stats.path("functions").forEach(function -> rows.add(row(function, null)));
            rows.add(row(stats.path("total"), "(all)"));
        } else {
            rows.add(row(stats.path("stats"), null));
            if (stats.path("versions").size() > 1) { // e.g. both sides of a traffic split: NAME:VERSION rows
                stats.path("versions").forEach(version -> rows.add(row(version.path("stats"),
                        name + ":" + version.path("version").asInt())));
            }
        }
        out.printf("Window %s (%s to %s)%n", stats.path("window").asString(), stats.path("from").asString(),
                stats.path("to").asString());
        Output.table(out, rows, HEADERS, FIELDS);
        return ExitCodes.OK;
    }

    private static JsonNode row(JsonNode stats, String label) {
        ObjectNode row = ((ObjectNode) stats).deepCopy();
        if (label != null) {
            row.put("functionName", label);
        }
        JsonNode durations = stats.path("durationMs");
        row.set("p50", durations.path("p50"));
        row.set("p95", durations.path("p95"));
        row.set("p99", durations.path("p99"));
        JsonNode cold = stats.path("coldStartRatio");
        if (cold.isNumber()) {
            row.put("cold", String.format(java.util.Locale.ROOT, "%.0f", cold.asDouble() * 100));
        }
        return row;
    }
}

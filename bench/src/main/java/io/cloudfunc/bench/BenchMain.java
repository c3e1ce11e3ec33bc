package io.cloudfunc.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.cloudfunc.bench.load.Gateway;
import io.cloudfunc.bench.report.Charts;
import io.cloudfunc.bench.report.Markdown;
import io.cloudfunc.bench.report.PerformanceDoc;
import io.cloudfunc.bench.report.Report;
import io.cloudfunc.bench.report.Row;
import io.cloudfunc.bench.report.Section;
import io.cloudfunc.bench.report.Spread;
import io.cloudfunc.bench.report.Targets;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The harness's entry point, started by bench/run against a platform it has started: runs the scenarios, writes
 * report.md, report.json and the charts, and rewrites the generated part of docs/performance.md. Exit code 0 when
 * the report was written (figures missing for features the platform lacks are "not measured", not failures); in
 * smoke mode 1 when the warm scenario or a baseline has no figure.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(options));
    }

    static int run(BenchOptions options) throws Exception {
        Plan plan = options.smoke() ? Plan.smoke() : Plan.full();
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String runLabel = options.node();
        Progress.say("%s run, scenarios %s, gateway %s", plan.name(), options.scenarios(), options.gateway());
        Files.createDirectories(options.results());
        List<Section> sections = new ArrayList<>();
        Scenarios scenarios;
        try (Gateway gateway = new Gateway(options.gateway(), options.apiKey());
             ServiceMemory memory = new ServiceMemory(options.services())) {
            scenarios = new Scenarios(options, plan, gateway, memory);
            String echoFailure = scenarios.deployEcho();
            if (echoFailure != null) {
                Progress.say("the echo function does not work: %s", echoFailure);
            }
            Map<String, Double> idle = memory.sample();
            Progress.say("services' RSS at idle: %s MiB", idle);
            memory.startSampling();
            runScenario(options, "warm", "1. Warm synchronous invoke through the HTTP API", echoFailure, sections, scenarios::warm);
            runScenario(options, "throughput", "2. Maximum sustained warm throughput", echoFailure, sections, scenarios::throughput);
            runScenario(options, "cpu", "CPU per warm call", echoFailure, sections, scenarios::cpu);
            runScenario(options, "cold", "3. Cold start", null, sections, scenarios::cold);
            runScenario(options, "async", "4. Async invocation", echoFailure, sections, scenarios::async);
            runScenario(options, "burst", "5. Burst on a cold function", null, sections, scenarios::burst);
            runScenario(options, "runtimes", "7. Node and Java functions", null, sections, scenarios::runtimes);
            runScenario(options, "memory", "6. Memory", echoFailure, sections, () -> scenarios.memory(idle));
            runScenario(options, "cli", "8. The command-line client", echoFailure, sections, scenarios::cli);
            runScenario(options, "baselines", "Baselines (same machine, same run)", null, sections,
                    () -> scenarios.baselines(runLabel));
        }
        sections.sort((a, b) -> Integer.compare(order(a.id()), order(b.id())));
        Section ratios = ratios(sections);
        if (!ratios.rows().isEmpty()) {
            sections.add(0, ratios);
        }

        List<String> charts = new ArrayList<>();
        List<Row> latencyRows = sections.stream().flatMap(s -> s.rows().stream())
                .filter(r -> r.p50() != null && !r.key().startsWith("throughput.") && !r.key().startsWith("async.")).toList();
        if (!latencyRows.isEmpty()) {
            Charts.latencyBars("CloudFunc and the baselines: p50 (bar) and p99 (tick), milliseconds", latencyRows,
                    options.results().resolve("latency.png"));
            charts.add("latency.png");
        }
        if (!scenarios.sweep.isEmpty()) {
            Charts.rateSweep("Warm invoke: p99 latency against the offered arrival rate", scenarios.sweep,
                    plan.p99LimitMs(), options.results().resolve("throughput.png"));
            charts.add("throughput.png");
        }
        Map<String, String> environment = new LinkedHashMap<>(options.environment());
        environment.put("plan", plan.name());
        Report report = new Report(startedAt, plan.name(), environment, sections, Targets.evaluate(sections), charts);

        JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        json.writeValue(options.results().resolve("report.json").toFile(), report);
        Files.writeString(options.results().resolve("report.md"),
                "# CloudFunc benchmark report\n\n" + Markdown.render(report, 2, ""));
        Progress.say("report written to %s", options.results());

        if (options.docs() != null) {
            Path images = options.docsImages();
            String prefix = "";
            if (images != null) {
                Files.createDirectories(images);
                for (String chart : charts) {
                    Files.copy(options.results().resolve(chart), images.resolve(chart), StandardCopyOption.REPLACE_EXISTING);
                }
                prefix = options.docs().getParent().relativize(images) + "/";
            }
            String generated = "_Generated by `bench/run` (" + plan.name() + " run). Between these markers everything "
                    + "is rewritten by the next run._\n\n" + Markdown.render(report, 3, prefix);
            Files.writeString(options.docs(), PerformanceDoc.replaceGenerated(Files.readString(options.docs()), generated));
            Progress.say("%s updated between its markers", options.docs());
        }
        for (var target : report.targets()) {
            Progress.say("target %-50s %-22s %s", target.name(), target.measured(), target.verdict());
        }
        return options.smoke() ? smokeCheck(report) : 0;
    }

    interface SectionRun {
        Section run() throws Exception;
    }

    private static void runScenario(BenchOptions options, String id, String title, String precondition,
                                    List<Section> sections, SectionRun run) {
        if (!options.runs(id)) {
            return;
        }
        if (precondition != null) {
            sections.add(new Section(id, title, "", List.of(Row.notMeasured(id, title, Row.CLOUDFUNC, precondition))));
            return;
        }
        Progress.say("scenario %s", id);
        try {
            sections.add(run.run());
        } catch (Exception e) {
            Progress.say("scenario %s failed: %s", id, e);
            sections.add(new Section(id, title, "", List.of(Row.notMeasured(id, title, Row.CLOUDFUNC,
                    "the scenario failed: " + e))));
        }
    }

    private static int order(String id) {
        int i = List.of("warm", "throughput", "cpu", "cold", "async", "burst", "memory", "runtimes", "cli", "baselines").indexOf(id);
        return i < 0 ? 99 : i;
    }

    /** The comparisons that matter: CloudFunc against the floor and the designs it replaces. */
    static Section ratios(List<Section> sections) {
        Report lookup = new Report("", "", Map.of(), sections, List.of(), List.of());
        List<Row> rows = new ArrayList<>();
        Optional<Double> warm = p50(lookup, "warm.c1"), floor = p50(lookup, "baseline.floor"),
                exec = p50(lookup, "baseline.dockerExec"), run = p50(lookup, "baseline.dockerRun"),
                cold = p50(lookup, "cold.new"), prewarmed = p50(lookup, "cold.prewarmed");
        if (warm.isPresent() && floor.isPresent()) {
            rows.add(Row.values("ratio.overhead", "platform overhead above the floor, warm p50 at concurrency 1",
                    Row.CLOUDFUNC, Row.figures("overheadMs", warm.get() - floor.get(), "timesFloor", warm.get() / floor.get()),
                    "the figure to drive down"));
        }
        if (warm.isPresent() && exec.isPresent()) {
            rows.add(Row.values("ratio.execOverWarm", "`docker exec` per call / CloudFunc warm (p50)", Row.CLOUDFUNC,
                    Row.figures("ratio", exec.get() / warm.get()), "how much faster a warm call is than an exec"));
        }
        if (warm.isPresent() && run.isPresent()) {
            rows.add(Row.values("ratio.runOverWarm", "`docker run` per call / CloudFunc warm (p50)", Row.CLOUDFUNC,
                    Row.figures("ratio", run.get() / warm.get()), null));
        }
        if (cold.isPresent() && run.isPresent()) {
            rows.add(Row.values("ratio.coldOverRun", "CloudFunc cold start (new container) / `docker run` per call (p50)",
                    Row.CLOUDFUNC, Row.figures("ratio", cold.get() / run.get()), "paid once per container instead of per call"));
        }
        if (prewarmed.isPresent() && cold.isPresent()) {
            rows.add(Row.values("ratio.prewarmedOverCold", "pre-warmed start / new-container start (p50)", Row.CLOUDFUNC,
                    Row.figures("ratio", prewarmed.get() / cold.get()), null));
        }
        return new Section("ratios", "Ratios (what to compare across runs and machines)",
                "Each figure divides medians measured in this run on this machine; absolute times move with the "
                        + "machine's load, ratios much less.", rows);
    }

    private static Optional<Double> p50(Report report, String key) {
        return report.row(key).filter(Row::measured).map(Row::p50).map(Spread::median);
    }

    private static int smokeCheck(Report report) {
        List<String> missing = new ArrayList<>();
        for (String key : List.of("warm.c1", "baseline.floor", "baseline.dockerExec", "baseline.dockerRun")) {
            Optional<Row> row = report.row(key);
            if (row.isEmpty() || !row.get().measured() || row.get().samples() == 0 || row.get().p50() == null) {
                missing.add(key + row.map(r -> r.notMeasured() == null ? "" : " (" + r.notMeasured() + ")").orElse(" (not run)"));
            }
        }
        // the CPU row, when its scenario ran: a total per call must be there
        report.row("cpu.warm").filter(r -> !r.measured() || r.values().get("totalMs") == null
                        || !Double.isFinite(r.values().get("totalMs")))
                .ifPresent(r -> missing.add("cpu.warm" + (r.notMeasured() == null ? "" : " (" + r.notMeasured() + ")")));
        if (!missing.isEmpty()) {
            System.err.println("bench smoke: no figures for " + String.join(", ", missing));
            return 1;
        }
        Progress.say("smoke check passed: the warm scenario, the three baselines and the CPU per call (when run) have figures");
        return 0;
    }
}

package io.cloudfunc.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The product's performance targets on the reference machine, checked against a run's rows. */
public final class Targets {

    private Targets() {
    }

    private record Goal(String name, String goal, String rowKey, Function<Row, Double> figure, String unit,
                        double limit, boolean atMost) {
    }

    private static final List<Goal> GOALS = List.of(
            new Goal("warm invoke p50, concurrency 1", "<= 2 ms", "warm.c1", r -> median(r.p50()), "ms", 2, true),
            new Goal("warm invoke p99, concurrency 1", "<= 10 ms", "warm.c1", r -> median(r.p99()), "ms", 10, true),
            new Goal("sustained warm throughput (p99 < 50 ms)", ">= 3,000/s", "throughput.max",
                    r -> r.values().get("sustainedRate"), "/s", 3_000, false),
            new Goal("cold start from a pre-warmed container, p50", "<= 10 ms", "cold.prewarmed",
                    r -> median(r.p50()), "ms", 10, true),
            new Goal("cold start from a new container, p50", "<= 250 ms", "cold.new", r -> median(r.p50()), "ms", 250, true),
            new Goal("async acceptance (202 per second)", ">= 5,000/s", "async.accept",
                    r -> median(r.throughput()), "/s", 5_000, false),
            new Goal("CPU per warm call (services + RabbitMQ + PostgreSQL)", "<= 0.6 ms", "cpu.warm",
                    r -> r.values().get("totalMs"), "ms", 0.6, true),
            new Goal("the four services' RSS together, under load", "<= 1 GiB (1,024 MiB)", "memory.total",
                    r -> r.values().get("underLoadMiB"), "MiB", 1_024, true),
            new Goal("`cloudfunc list`, wall time, median", "<= 300 ms", "cli.list", r -> median(r.p50()), "ms", 300,
                    true),
            new Goal("`cloudfunc invoke`, wall time, median", "<= 300 ms", "cli.invoke", r -> median(r.p50()), "ms",
                    300, true));

    public static List<Target> evaluate(List<Section> sections) {
        List<Target> targets = new ArrayList<>();
        for (Goal goal : GOALS) {
            Optional<Row> row = sections.stream().flatMap(s -> s.rows().stream())
                    .filter(r -> r.key().equals(goal.rowKey())).findFirst();
            if (row.isEmpty()) {
                targets.add(new Target(goal.name(), goal.goal(), "not run in this run", null));
            } else if (!row.get().measured()) {
                targets.add(new Target(goal.name(), goal.goal(), "not measured: " + row.get().notMeasured(), null));
            } else {
                Double value = goal.figure().apply(row.get());
                if (value == null || !Double.isFinite(value)) {
                    targets.add(new Target(goal.name(), goal.goal(), "no figure", null));
                } else {
                    boolean met = goal.atMost() ? value <= goal.limit() : value >= goal.limit();
                    targets.add(new Target(goal.name(), goal.goal(), Markdown.number(value) + " " + goal.unit(), met));
                }
            }
        }
        return targets;
    }

    private static Double median(Spread spread) {
        return spread == null ? null : spread.median();
    }
}

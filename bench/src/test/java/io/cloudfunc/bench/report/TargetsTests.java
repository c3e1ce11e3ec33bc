package io.cloudfunc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.cloudfunc.bench.load.Latencies;

class TargetsTests {

    private static Latencies latencies(double p50, double p99, double throughput) {
        return new Latencies(100, 0, 1, throughput, p50, p50, p99, p99, p50);
    }

    @Test
    void judgesEachTargetFromItsRow() {
        var warm = Row.of("warm.c1", "warm", Row.CLOUDFUNC, List.of(latencies(1.5, 12, 600)), null);
        var cold = Row.of("cold.new", "cold", Row.CLOUDFUNC, List.of(latencies(240, 300, 4)), null);
        var prewarmed = Row.notMeasured("cold.prewarmed", "prewarmed", Row.CLOUDFUNC, "no pool");
        var memory = Row.values("memory.total", "rss", Row.CLOUDFUNC, Row.figures("underLoadMiB", 1_100), null);
        var cpu = Row.values("cpu.warm", "cpu", Row.CLOUDFUNC, Row.figures("totalMs", 0.45, "apiGatewayMs", 0.2), null);
        var cliList = Row.of("cli.list", "list", Row.CLOUDFUNC, List.of(latencies(210, 400, 4)), null);
        var cliInvoke = Row.of("cli.invoke", "invoke", Row.CLOUDFUNC, List.of(latencies(320, 400, 3)), null);

        List<Target> targets = Targets.evaluate(List.of(new Section("s", "S", "",
                List.of(warm, cold, prewarmed, memory, cpu, cliList, cliInvoke))));

        assertThat(targets).extracting(Target::name, Target::met).contains(
                org.assertj.core.groups.Tuple.tuple("warm invoke p50, concurrency 1", true),
                org.assertj.core.groups.Tuple.tuple("warm invoke p99, concurrency 1", false),
                org.assertj.core.groups.Tuple.tuple("cold start from a new container, p50", true),
                org.assertj.core.groups.Tuple.tuple("cold start from a pre-warmed container, p50", null),
                org.assertj.core.groups.Tuple.tuple("the four services' RSS together, under load", false),
                org.assertj.core.groups.Tuple.tuple("CPU per warm call (services + RabbitMQ + PostgreSQL)", true),
                org.assertj.core.groups.Tuple.tuple("`cloudfunc list`, wall time, median", true),
                org.assertj.core.groups.Tuple.tuple("`cloudfunc invoke`, wall time, median", false));
        assertThat(targets).filteredOn(t -> t.name().startsWith("CPU per warm call"))
                .singleElement().extracting(Target::goal, Target::measured).containsExactly("<= 0.6 ms", "0.450 ms");
        assertThat(targets).filteredOn(t -> t.name().startsWith("cold start from a pre-warmed"))
                .singleElement().extracting(Target::measured).isEqualTo("not measured: no pool");
        assertThat(targets).filteredOn(t -> t.name().startsWith("async"))
                .singleElement().extracting(Target::measured).isEqualTo("not run in this run");
    }
}

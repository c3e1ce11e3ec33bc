package io.cloudfunc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cloudfunc.bench.load.Latencies;

class MarkdownTests {

    @Test
    void rendersTargetsTablesNotMeasuredReasonsAndCharts() {
        var reps = List.of(new Latencies(1_000, 2, 10, 100, 3.0, 5.0, 9.0, 20.0, 3.2),
                new Latencies(1_000, 0, 10, 120, 3.4, 5.5, 12.0, 30.0, 3.5));
        var section = new Section("warm", "1. Warm", "What it means.", List.of(
                Row.of("warm.c1", "warm invoke, concurrency 1", Row.CLOUDFUNC, reps, null),
                Row.notMeasured("async.accept", "async | acceptance", Row.CLOUDFUNC, "HTTP 200")));
        var report = new Report("2026-01-01T00:00:00Z", "full", Map.of("machine", "2 cores"), List.of(section),
                Targets.evaluate(List.of(section)), List.of("latency.png"));

        String md = Markdown.render(report, 3, "performance/");

        assertThat(md).contains("### Targets", "### 1. Warm", "What it means.")
                .contains("| warm invoke, concurrency 1 | CloudFunc | 3.20 (3.00–3.40) | 5.25 (5.00–5.50) | 10.5 (9.0–12.0) |")
                .contains("| 2,000 (2) |")
                .contains("async \\| acceptance", "not measured: HTTP 200")
                .contains("![latency](performance/latency.png)")
                .contains("| warm invoke p50, concurrency 1 | <= 2 ms | 3.20 ms | not met |");
    }

    @Test
    void sectionsWithoutLatenciesGetANarrowTableOfFigures() {
        var section = new Section("memory", "6. Memory", "", List.of(
                Row.values("memory.total", "all four", Row.CLOUDFUNC, Row.figures("idleMiB", 871.5, "underLoadMiB", 920), "peak"),
                Row.notMeasured("memory.container", "per container", Row.CLOUDFUNC, "none warm")));
        var report = new Report("t", "smoke", Map.of(), List.of(section), List.of(), List.of());

        assertThat(Markdown.render(report, 2, ""))
                .contains("| what | system | figures | notes |")
                .contains("| all four | CloudFunc | idleMiB 872, underLoadMiB 920 | peak |")
                .contains("| per container | CloudFunc | – | not measured: none warm |");
    }

    @Test
    void numbersGetDecimalsByMagnitude() {
        assertThat(Markdown.number(0.0512)).isEqualTo("0.051");
        assertThat(Markdown.number(3.14159)).isEqualTo("3.14");
        assertThat(Markdown.number(42.42)).isEqualTo("42.4");
        assertThat(Markdown.number(3_456.7)).isEqualTo("3,457");
    }
}

package io.cloudfunc.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.cloudfunc.bench.load.Latencies;

/**
 * One line of a scenario's table: what was measured ({@code what}), on which system ({@code system}: CloudFunc or
 * a baseline), latency percentiles in milliseconds and throughput per second as median and spread over the
 * repetitions, and free-form figures ({@code values}, e.g. memory) for what is not a latency.
 *
 * @param key         stable id used by the JSON report and the targets, e.g. {@code warm.c1}
 * @param notMeasured why the figure is missing, or null when it was measured
 */
public record Row(String key, String what, String system, Spread p50, Spread p95, Spread p99, Spread max,
                  Spread throughput, long samples, long errors, Map<String, Double> values, String note,
                  String notMeasured) {

    public static final String CLOUDFUNC = "CloudFunc";

    public Row {
        // insertion order kept: the report lists the figures in the order they were added
        values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** A row from repeated measurements of the same thing. */
    public static Row of(String key, String what, String system, List<Latencies> repetitions, String note) {
        return new Row(key, what, system,
                spread(repetitions, Latencies::p50Ms), spread(repetitions, Latencies::p95Ms),
                spread(repetitions, Latencies::p99Ms), spread(repetitions, Latencies::maxMs),
                spread(repetitions, Latencies::throughput),
                repetitions.stream().mapToLong(Latencies::count).sum(),
                repetitions.stream().mapToLong(Latencies::errors).sum(), Map.of(), note, null);
    }

    /** A row of figures that are not latencies (memory, counts). */
    public static Row values(String key, String what, String system, Map<String, Double> values, String note) {
        return new Row(key, what, system, null, null, null, null, null, 0, 0, values, note, null);
    }

    public static Row notMeasured(String key, String what, String system, String reason) {
        return new Row(key, what, system, null, null, null, null, null, 0, 0, Map.of(), null, reason);
    }

    /** Named figures in the order given: {@code figures("idleMiB", 12.0, "underLoadMiB", 15.0)}. */
    public static Map<String, Double> figures(Object... namesAndValues) {
        Map<String, Double> figures = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            figures.put((String) namesAndValues[i], ((Number) namesAndValues[i + 1]).doubleValue());
        }
        return figures;
    }

    public Row withValues(Map<String, Double> more, String newNote) {
        var merged = new LinkedHashMap<>(values);
        merged.putAll(more);
        return new Row(key, what, system, p50, p95, p99, max, throughput, samples, errors, merged, newNote, notMeasured);
    }

    public boolean measured() {
        return notMeasured == null;
    }

    private static Spread spread(List<Latencies> repetitions, Function<Latencies, Double> figure) {
        return Spread.of(repetitions.stream().map(figure).toList());
    }
}

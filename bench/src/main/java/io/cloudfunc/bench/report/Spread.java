package io.cloudfunc.bench.report;

import java.util.List;
import java.util.Objects;

/** One figure over several repetitions: the median, and the lowest and highest value seen. */
public record Spread(double median, double min, double max, int repetitions) {

    /** The spread of the finite values, or null when there is none. */
    public static Spread of(List<Double> values) {
        List<Double> finite = values.stream().filter(Objects::nonNull).filter(Double::isFinite).sorted().toList();
        if (finite.isEmpty()) {
            return null;
        }
        int n = finite.size();
        double median = n % 2 == 1 ? finite.get(n / 2) : (finite.get(n / 2 - 1) + finite.get(n / 2)) / 2;
        return new Spread(median, finite.getFirst(), finite.getLast(), n);
    }

    public static Spread single(double value) {
        return Double.isFinite(value) ? new Spread(value, value, value, 1) : null;
    }

    /** "3.1 (2.9-3.6)", or just "3.1" for one repetition or no spread. */
    public String format(String pattern) {
        String m = String.format(pattern, median);
        if (repetitions < 2 || String.format(pattern, min).equals(String.format(pattern, max))) {
            return m;
        }
        return m + " (" + String.format(pattern, min) + "–" + String.format(pattern, max) + ")";
    }
}

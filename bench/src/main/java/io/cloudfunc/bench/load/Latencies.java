package io.cloudfunc.bench.load;

import org.HdrHistogram.Histogram;

/**
 * What one measurement interval saw: latency percentiles (milliseconds) of the successful calls, how many calls
 * succeeded and failed, and the throughput of successful calls over the interval's wall time.
 */
public record Latencies(long count, long errors, double seconds, double throughput,
                        double p50Ms, double p95Ms, double p99Ms, double maxMs, double meanMs) {

    /** Highest latency a histogram tracks, in microseconds (values above are clamped to it): 2 minutes. */
    public static final long HIGHEST_MICROS = 120_000_000L;

    public static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_MICROS, 3);
    }

    public static long clampMicros(long nanos) {
        return Math.max(1, Math.min(HIGHEST_MICROS, nanos / 1_000));
    }

    public static Latencies of(Histogram micros, long errors, double seconds) {
        long count = micros.getTotalCount();
        if (count == 0) {
            return new Latencies(0, errors, seconds, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Latencies(count, errors, seconds, seconds > 0 ? count / seconds : 0,
                ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(95)),
                ms(micros.getValueAtPercentile(99)), ms(micros.getMaxValue()), micros.getMean() / 1_000.0);
    }

    /** Latencies of calls timed one by one, in milliseconds; the interval is their sum (they ran one after another). */
    public static Latencies ofMillis(java.util.List<Double> samples, long errors) {
        Histogram histogram = newHistogram();
        samples.forEach(ms -> histogram.recordValue(clampMicros((long) (ms * 1e6))));
        return of(histogram, errors, samples.stream().mapToDouble(Double::doubleValue).sum() / 1e3);
    }

    private static double ms(long micros) {
        return micros / 1_000.0;
    }

    @Override
    public String toString() {
        return String.format("%d ok, %d failed, %.0f/s, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.1f ms",
                count, errors, throughput, p50Ms, p95Ms, p99Ms, maxMs);
    }
}

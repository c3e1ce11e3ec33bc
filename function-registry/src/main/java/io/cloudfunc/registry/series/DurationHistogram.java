package io.cloudfunc.registry.series;

import java.util.Arrays;

/**
 * The fixed histogram of call durations kept per minute (the {@code durations} column, and the SQL function
 * {@code duration_bucket} of migration V11, which must agree with {@link #bucket}): one bucket per millisecond below
 * 32 ms, then 16 equal sub-buckets per power of two, each at most 1/16 of its values wide. Histograms of any minutes
 * and functions add up bucket by bucket, so percentiles over any window come from their sum.
 *
 * <p>How exact: a percentile is the nearest-rank one (the smallest duration with at least q of the calls at or below
 * it) when it is below 32 ms, and otherwise the middle of its bucket: within 3.2 % of the nearest-rank value.
 */
public final class DurationHistogram {

    /** Durations below this many milliseconds have a bucket each. */
    static final int EXACT_BELOW = 32;
    private static final int SUB_BUCKETS = 16;
    private static final int SUB_BITS = 4;
    private static final int FIRST_POWER = 5; // 2^5 = EXACT_BELOW

    private DurationHistogram() {
    }

    /** The bucket of a duration in milliseconds (negative ones count as 0). */
    public static int bucket(long ms) {
        if (ms < EXACT_BELOW) {
            return (int) Math.max(ms, 0);
        }
        int power = 63 - Long.numberOfLeadingZeros(ms);
        int sub = (int) ((ms >> (power - SUB_BITS)) & (SUB_BUCKETS - 1));
        return EXACT_BELOW + (power - FIRST_POWER) * SUB_BUCKETS + sub;
    }

    /** The smallest duration of a bucket. */
    static long lowest(int bucket) {
        if (bucket < EXACT_BELOW) {
            return bucket;
        }
        int power = FIRST_POWER + (bucket - EXACT_BELOW) / SUB_BUCKETS;
        int sub = (bucket - EXACT_BELOW) % SUB_BUCKETS;
        return (1L << power) + ((long) sub << (power - SUB_BITS));
    }

    /** The largest duration of a bucket. */
    static long highest(int bucket) {
        return bucket < EXACT_BELOW ? bucket : lowest(bucket + 1) - 1;
    }

    /** Adds {@code times} (-1 takes one out) a duration to {@code counts}, grown as needed; returns the array. */
    static int[] add(int[] counts, long ms, int times) {
        int bucket = bucket(ms);
        int[] grown = bucket < counts.length ? counts : Arrays.copyOf(counts, bucket + 1);
        grown[bucket] += times;
        return grown;
    }

    /**
     * The nearest-rank {@code q} percentile (0 &lt; q &lt;= 1) of the durations counted, as the middle of its bucket
     * (the value itself below 32 ms), or null when nothing is counted.
     */
    static Double percentile(long[] counts, double q) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        if (total <= 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int bucket = 0; bucket < counts.length; bucket++) {
            seen += counts[bucket];
            if (seen >= rank) {
                return (lowest(bucket) + highest(bucket)) / 2.0;
            }
        }
        return null; // not reached: seen ends at total >= rank
    }
}

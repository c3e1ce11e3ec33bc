package io.cloudfunc.registry.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DurationHistogramTests {

    @Test
    void bucketsAreContiguousAndAtMostASixteenthOfTheirValuesWide() {
        assertThat(DurationHistogram.bucket(-5)).isZero();
        for (int bucket = 0; bucket < 500; bucket++) {
            long lowest = DurationHistogram.lowest(bucket);
            long highest = DurationHistogram.highest(bucket);
            assertThat(DurationHistogram.bucket(lowest)).isEqualTo(bucket);
            assertThat(DurationHistogram.bucket(highest)).isEqualTo(bucket);
            assertThat(DurationHistogram.lowest(bucket + 1)).isEqualTo(highest + 1);
            assertThat((double) (highest - lowest + 1)).isLessThanOrEqualTo(Math.max(1, lowest / 16.0));
        }
        assertThat(DurationHistogram.bucket(31)).isEqualTo(31);
        assertThat(DurationHistogram.bucket(32)).isEqualTo(32);
        assertThat(DurationHistogram.bucket(Long.MAX_VALUE)).isEqualTo(959);
    }

    @Test
    void percentilesAreExactBelow32MsAndWithinThreePointTwoPercentAbove() {
        Random random = new Random(14);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(2000);
            long[] durations = new long[n];
            int[] counts = new int[0];
            for (int i = 0; i < n; i++) {
                // log-uniform from 0 ms to about 10 min, plus a lump of fast calls
                durations[i] = random.nextInt(4) == 0 ? random.nextInt(32) : (long) Math.exp(random.nextDouble() * 13.3);
                counts = DurationHistogram.add(counts, durations[i], 1);
            }
            Arrays.sort(durations);
            long[] wide = Arrays.stream(counts).asLongStream().toArray();
            for (double q : new double[] {0.5, 0.95, 0.99}) {
                long exact = durations[(int) Math.ceil(q * n) - 1];
                double estimate = DurationHistogram.percentile(wide, q);
                if (exact < 32) {
                    assertThat(estimate).isEqualTo((double) exact);
                } else {
                    assertThat(Math.abs(estimate - exact) / exact).as("q %s of %s calls", q, n).isLessThan(0.032);
                }
            }
        }
    }

    @Test
    void noDurationsHaveNoPercentile() {
        assertThat(DurationHistogram.percentile(new long[0], 0.5)).isNull();
        assertThat(DurationHistogram.percentile(new long[] {0, 0}, 0.99)).isNull();
    }

    @Test
    void takingADurationOutUndoesAddingIt() {
        int[] counts = DurationHistogram.add(new int[0], 1000, 1);
        counts = DurationHistogram.add(counts, 5, 1);
        counts = DurationHistogram.add(counts, 1000, -1);
        assertThat(Arrays.stream(counts).sum()).isEqualTo(1);
        assertThat(counts[5]).isEqualTo(1);
    }
}

package io.cloudfunc.bench;

import java.time.Duration;
import java.util.List;

/**
 * How much of everything a run does. The full plan takes about ten minutes; the smoke plan only proves that
 * every scenario works end to end (its figures mean nothing).
 */
record Plan(String name, int repetitions, Duration jitWarmup, Duration settle, Duration measure,
            List<Integer> concurrencies, List<Double> rates, Duration rateStep, double p99LimitMs,
            int coldCalls, Duration coldPause, Duration asyncMeasure, int asyncConcurrency, int asyncCompletionSamples,
            int burstSize, int burstRepetitions, int dockerRunCalls, int dockerExecCalls, int floorCalls,
            Duration runtimeWarmMeasure, int runtimeColdCalls, int cliRuns) {

    static Plan full() {
        return new Plan("full", 3, Duration.ofSeconds(60), Duration.ofSeconds(3), Duration.ofSeconds(10),
                List.of(1, 8, 64),
                List.of(25.0, 50.0, 100.0, 200.0, 300.0, 400.0, 500.0, 600.0, 800.0, 1_000.0, 1_500.0, 2_000.0, 3_000.0, 4_000.0, 6_000.0),
                Duration.ofSeconds(8), 50,
                16, Duration.ofMillis(1_500), Duration.ofSeconds(10), 32, 20,
                200, 3, 10, 30, 20_000,
                Duration.ofSeconds(5), 5, 20);
    }

    static Plan smoke() {
        return new Plan("smoke", 1, Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofSeconds(2),
                List.of(1, 8), List.of(20.0, 50.0), Duration.ofSeconds(2), 50,
                2, Duration.ofMillis(200), Duration.ofSeconds(2), 8, 3,
                20, 1, 2, 3, 500,
                Duration.ofSeconds(1), 1, 3);
    }
}

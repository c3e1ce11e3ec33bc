package io.cloudfunc.scheduler.invocation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code cloudfunc_scheduler_intake_total} by outcome: {@code forwarded} to a node, {@code rejected} (answered with
 * a 4xx problem, or past its deadline) or {@code failed} (a 5xx problem, or a forward that goes back to the queue).
 * Counters are created once, not looked up per call.
 */
@Component
class IntakeMetrics {

    static final String FORWARDED = "forwarded";
    static final String REJECTED = "rejected";
    static final String FAILED = "failed";

    private final Map<String, Counter> counters = new HashMap<>();

    IntakeMetrics(MeterRegistry registry) {
        for (String outcome : new String[] {FORWARDED, REJECTED, FAILED}) {
            counters.put(outcome, Counter.builder("cloudfunc.scheduler.intake")
                    .description("Invocation requests taken from the intake queue, by outcome")
                    .tag("outcome", outcome)
                    .register(registry));
        }
    }

    void count(String outcome) {
        counters.get(outcome).increment();
    }
}

package io.cloudfunc.scheduler.invocation;

import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * {@code cloudfunc_scheduler_invocations_seconds} by outcome (a final status, {@code no_reply},
 * {@code platform_error} or {@code rejected}) and {@code cloudfunc_scheduler_pending_replies}. Timers are created
 * once, not looked up per call.
 */
@Component
class InvocationMetrics {

    static final String NO_REPLY = "no_reply";
    static final String PLATFORM_ERROR = "platform_error";
    static final String REJECTED = "rejected";

    private final Map<String, Timer> timers = new HashMap<>();

    InvocationMetrics(MeterRegistry registry, PendingReplies pendingReplies) {
        for (InvocationStatus status : InvocationStatus.values()) {
            register(registry, status.name());
        }
        register(registry, NO_REPLY);
        register(registry, PLATFORM_ERROR);
        register(registry, REJECTED);
        Gauge.builder("cloudfunc.scheduler.pending.replies", pendingReplies, PendingReplies::size)
                .description("Synchronous calls waiting for their reply")
                .register(registry);
    }

    private void register(MeterRegistry registry, String outcome) {
        timers.put(outcome, Timer.builder("cloudfunc.scheduler.invocations")
                .description("Synchronous invocations through the scheduler, from request to answer")
                .tag("outcome", outcome.toLowerCase(java.util.Locale.ROOT))
                .register(registry));
    }

    void record(String outcome, long nanos) {
        timers.getOrDefault(outcome, timers.get(REJECTED)).record(nanos, TimeUnit.NANOSECONDS);
    }

    static String outcomeOf(ProblemDetail problem) {
        if (ProblemTypes.FUNCTION_TIMEOUT.equals(problem.getType())) {
            return NO_REPLY;
        }
        return problem.getStatus() >= 500 ? PLATFORM_ERROR : REJECTED;
    }
}

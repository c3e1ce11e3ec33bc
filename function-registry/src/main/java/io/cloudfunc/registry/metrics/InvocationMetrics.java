package io.cloudfunc.registry.metrics;

import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.FunctionChanged;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Counts invocations that reached their final state, by function, status and start type, with a histogram of their
 * durations: {@code cloudfunc_function_invocations_total} and {@code cloudfunc_function_duration_seconds}.
 *
 * <p>The meters live in a registry of their own, not in the service's actuator registry, so that the gateway can
 * relay exactly these (and not the registry's JVM and HTTP meters) as the platform's {@code GET /metrics}. Only
 * functions that exist are counted: an outside producer's call of a name that was never deployed adds no series,
 * and a deleted function's series go with it. The counts are this registry instance's since it started (Prometheus
 * takes a restart's reset in its stride).
 */
@Component
public class InvocationMetrics {

    private static final Logger log = LoggerFactory.getLogger(InvocationMetrics.class);

    static final String INVOCATIONS = "cloudfunc.function.invocations";
    static final String DURATION = "cloudfunc.function.duration";
    /** The {@code start_type} of a call that reached no container (not run, rejected before its start). */
    static final String NO_START = "none";
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(300)};

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JdbcTemplate jdbc;

    InvocationMetrics(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Counts invocations that have just become final (each exactly once: the caller passes only the records whose
     * write made the transition, never a redelivered one).
     */
    public void finished(List<InvocationCompleted> records) {
        if (records.isEmpty()) {
            return;
        }
        Set<String> existing;
        try {
            existing = existing(records.stream().map(InvocationCompleted::functionName).collect(Collectors.toSet()));
        } catch (DataAccessException e) {
            // the records are stored: a metric is not worth handing them back for
            log.warn("{} finished invocations not counted in the metrics: {}", records.size(), e.getMessage());
            return;
        }
        for (InvocationCompleted record : records) {
            if (!existing.contains(record.functionName())) {
                continue;
            }
            Tags tags = Tags.of("function", record.functionName(), "status", record.status().name(),
                    "start_type", startType(record.startType()));
            Counter.builder(INVOCATIONS)
                    .description("Invocations that reached their final state, whatever their source")
                    .tags(tags)
                    .register(meters)
                    .increment();
            if (record.startType() != null) {
                // a call that reached no container has no duration worth a bucket
                Timer.builder(DURATION)
                        .description("Time invocations spent in their function's container")
                        .tags(tags)
                        .serviceLevelObjectives(BUCKETS)
                        .register(meters)
                        .record(Duration.ofMillis(record.durationMs()));
            }
        }
    }

    /** The metrics as Prometheus text (format 0.0.4). */
    public String scrape() {
        return meters.scrape();
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void functionChanged(FunctionChanged event) {
        if (event.change() == FunctionChanged.Change.DELETED) {
            for (Meter meter : meters.find(INVOCATIONS).tag("function", event.functionName()).meters()) {
                meters.remove(meter);
            }
            for (Meter meter : meters.find(DURATION).tag("function", event.functionName()).meters()) {
                meters.remove(meter);
            }
        }
    }

    private Set<String> existing(Set<String> names) {
        return new HashSet<>(jdbc.queryForList("SELECT name FROM functions WHERE name = ANY(?)", String.class,
                (Object) names.toArray(String[]::new)));
    }

    private static String startType(StartType startType) {
        return startType == null ? NO_START : startType.label();
    }
}

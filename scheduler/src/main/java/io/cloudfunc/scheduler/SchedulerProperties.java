package io.cloudfunc.scheduler;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything the scheduler can be told ({@code scheduler.*}, or {@code SCHEDULER_*} environment variables).
 *
 * @param registryUrl        base URL of the function-registry
 * @param nodes              the container-manager nodes calls are placed on (their {@code containers.node-id});
 *                           one node, {@code local}, by default
 * @param nodeTimeout        a node not heard for this long is out: its waiting calls are placed on other nodes
 * @param rememberNodes      at start, the nodes the registry saw in this window (their samples) are taken for out
 *                           unless heard within {@code nodeTimeout}, so that calls left in the queue of a node that
 *                           died before this scheduler started are placed on live nodes
 * @param confirmTimeout     how long the broker may take to confirm a forwarded invocation or a record before the
 *                           forward counts as failed
 * @param connectTimeout     TCP connect timeout towards the registry
 * @param registryTimeout    how long one registry request may take
 * @param functionCache      cache of resolved functions
 * @param intake             consumers of the intake queue
 * @param records            batching of the invocation records this scheduler publishes
 * @param callbacks          delivery of final records to callback URLs
 */
@Validated
@ConfigurationProperties("scheduler")
public record SchedulerProperties(
        @DefaultValue("http://localhost:7000") @NotNull URI registryUrl,
        @DefaultValue("10s") @NotNull Duration nodeTimeout,
        @DefaultValue("24h") @NotNull Duration rememberNodes,
        @DefaultValue("5s") @NotNull Duration confirmTimeout,
        @DefaultValue("2s") @NotNull Duration connectTimeout,
        @DefaultValue("10s") @NotNull Duration registryTimeout,
        @DefaultValue @Valid @NotNull FunctionCache functionCache,
        @DefaultValue @Valid @NotNull Intake intake,
        @DefaultValue @Valid @NotNull Records records,
        @DefaultValue @Valid @NotNull Callbacks callbacks) {

    /**
     * Functions resolved from the registry. Entries are dropped on {@code FunctionChanged}; the TTL only bounds how
     * stale an entry can get if such an event is ever missed.
     *
     * @param ttl     how long an entry is kept after it was loaded
     * @param maxSize how many functions are kept at most
     */
    public record FunctionCache(
            @DefaultValue("5m") @NotNull Duration ttl,
            @DefaultValue("10000") @Positive long maxSize) {
    }

    /**
     * @param concurrency consumers of the intake queue, each on a virtual thread with its own channel
     * @param prefetch    unacknowledged requests per consumer
     */
    public record Intake(
            @DefaultValue("8") @Positive int concurrency,
            @DefaultValue("32") @Positive int prefetch) {
    }

    /**
     * Records (QUEUED of asynchronous calls, calls past their deadline) are gathered into one message.
     *
     * @param linger   how long the first record waits for others to share its message
     * @param maxBatch most records in one message
     */
    public record Records(
            @DefaultValue("1ms") @NotNull Duration linger,
            @DefaultValue("256") @Positive int maxBatch) {
    }

    /**
     * POSTs of final records to the {@code callbackUrl} of asynchronous calls.
     *
     * @param attempts  tries per callback (a 2xx answer ends them), at least 1
     * @param backoff   wait before the second try, doubled for each next one
     * @param timeout   connect and answer timeout of one try
     * @param inFlight  callbacks this instance delivers at once (each on a virtual thread of its own, so that slow
     *                  receivers do not hold up the others); the queue's prefetch
     */
    public record Callbacks(
            @DefaultValue("4") @Positive int attempts,
            @DefaultValue("1s") @NotNull Duration backoff,
            @DefaultValue("10s") @NotNull Duration timeout,
            @DefaultValue("64") @Positive int inFlight) {
    }
}

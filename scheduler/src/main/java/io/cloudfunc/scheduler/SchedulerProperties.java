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
 * @param replyTimeoutMargin added to a function's own timeout to get how long a caller waits for the reply before
 *                           a 504. Covers what a call may legally spend outside its function before it starts: a
 *                           cold start at the container-manager (socket connect up to 10 s, init up to 10 s, plus
 *                           the Docker create/start and the code download) and a wait for capacity when its pool is
 *                           full (up to 30 s), hence 60 s. Lower it only together with those container-manager
 *                           settings ({@code containers.timeouts.*}, {@code containers.pool.capacity-wait}).
 * @param confirmTimeout     how long the broker may take to confirm a published invocation before the call fails
 * @param connectTimeout     TCP connect timeout towards the registry
 * @param registryTimeout    how long one registry request may take
 * @param functionCache      cache of resolved functions
 * @param async              the asynchronous path's batching of QUEUED records
 * @param callbacks          delivery of final records to callback URLs
 */
@Validated
@ConfigurationProperties("scheduler")
public record SchedulerProperties(
        @DefaultValue("http://localhost:7000") @NotNull URI registryUrl,
        @DefaultValue("60s") @NotNull Duration replyTimeoutMargin,
        @DefaultValue("5s") @NotNull Duration confirmTimeout,
        @DefaultValue("2s") @NotNull Duration connectTimeout,
        @DefaultValue("10s") @NotNull Duration registryTimeout,
        @DefaultValue @Valid @NotNull FunctionCache functionCache,
        @DefaultValue @Valid @NotNull Async async,
        @DefaultValue @Valid @NotNull Callbacks callbacks) {

    public SchedulerProperties {
        if (replyTimeoutMargin != null && replyTimeoutMargin.isNegative()) {
            throw new IllegalArgumentException("scheduler.reply-timeout-margin must not be negative");
        }
    }

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
     * QUEUED records (of synchronous and asynchronous calls) are written in batches: concurrent calls share one
     * registry request. Named after the path that introduced it.
     *
     * @param maxBatch most records in one request
     * @param writers  batches in flight at once
     */
    public record Async(
            @DefaultValue("256") @Positive int maxBatch,
            @DefaultValue("4") @Positive int writers) {
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

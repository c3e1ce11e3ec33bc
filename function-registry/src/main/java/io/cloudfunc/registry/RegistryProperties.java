package io.cloudfunc.registry;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything the registry can be tuned with ({@code registry.*}, or {@code REGISTRY_*} environment variables).
 *
 * @param runtimes          runtimes functions may be deployed on
 * @param maxArchiveSize    largest code archive accepted (also the multipart upload limit)
 * @param maxUnpackedSize   largest total size of an archive's files once inflated (guards against zip bombs)
 * @param maxArchiveEntries most entries an archive may hold
 * @param defaults          configuration a deploy gets for what it leaves out
 * @param limits            bounds a deploy's configuration must stay within
 * @param secrets           where the key that encrypts functions' secrets comes from
 * @param auth              the bootstrap admin API key
 * @param invocations       the consumer of invocation records and the wait for a record about to be written
 * @param series            the statistics over time ({@code GET /stats/series}) kept per minute, then per hour
 */
@Validated
@ConfigurationProperties("registry")
public record RegistryProperties(
        @DefaultValue({"python", "node", "java", "image"}) @NotEmpty List<@NotBlank String> runtimes,
        @DefaultValue("50MB") @NotNull DataSize maxArchiveSize,
        @DefaultValue("250MB") @NotNull DataSize maxUnpackedSize,
        @DefaultValue("10000") @Positive int maxArchiveEntries,
        @DefaultValue @Valid Defaults defaults,
        @DefaultValue @Valid Limits limits,
        @DefaultValue @Valid Secrets secrets,
        @DefaultValue @Valid Auth auth,
        @DefaultValue @Valid Invocations invocations,
        @DefaultValue @Valid Series series) {

    public RegistryProperties {
        runtimes = List.copyOf(runtimes);
        if (!runtimes.contains(defaults.runtime())) {
            throw new IllegalArgumentException("registry.defaults.runtime '" + defaults.runtime()
                    + "' is not one of registry.runtimes " + runtimes);
        }
        Limits.check("registry.defaults.timeout", defaults.timeout(), limits.minTimeout(), limits.maxTimeout());
        Limits.check("registry.defaults.idle-ttl", defaults.idleTtl(), limits.minIdleTtl(), limits.maxIdleTtl());
        if (defaults.minInstances() > defaults.maxInstances() || defaults.maxInstances() > limits.maxInstances()
                || defaults.concurrency() > limits.maxConcurrency() || defaults.maxRetries() > limits.maxRetries()) {
            throw new IllegalArgumentException("registry.defaults instances, concurrency and retries must lie within "
                    + "registry.limits, with min-instances <= max-instances");
        }
        if (invocations.abandonAfter().compareTo(limits.maxTimeout()) <= 0) {
            throw new IllegalArgumentException("registry.invocations.abandon-after (" + invocations.abandonAfter()
                    + ") must be longer than registry.limits.max-timeout (" + limits.maxTimeout()
                    + "): a call may run that long without a sign of life");
        }
        long memoryMb = defaults.memory().toMegabytes();
        if (memoryMb < limits.minMemory().toMegabytes() || memoryMb > limits.maxMemory().toMegabytes()) {
            throw new IllegalArgumentException("registry.defaults.memory must lie within registry.limits");
        }
    }

    /**
     * @param runtime runtime of a deploy that names none
     * @param handler handler of a deploy that names none ({@code module.function})
     */
    public record Defaults(
            @DefaultValue("python") @NotBlank String runtime,
            @DefaultValue("function.handler") @NotBlank String handler,
            @DefaultValue("30s") @NotNull Duration timeout,
            @DefaultValue("128MB") @NotNull DataSize memory,
            @DefaultValue("60s") @NotNull Duration idleTtl,
            @DefaultValue("0") @PositiveOrZero int minInstances,
            @DefaultValue("10") @Positive int maxInstances,
            @DefaultValue("1") @Positive int concurrency,
            @DefaultValue("0") @PositiveOrZero int maxRetries,
            @DefaultValue("1s") @NotNull Duration retryBackoff) {
    }

    /**
     * The first admin key, installed at startup when no key has its secret (application.yml binds these to the
     * environment variables {@code CLOUDFUNC_BOOTSTRAP_KEY} and {@code CLOUDFUNC_BOOTSTRAP_KEY_FILE}).
     *
     * @param bootstrapKey     the secret itself, or blank
     * @param bootstrapKeyFile a file holding the secret (e.g. a Docker secret), used when bootstrapKey is blank
     */
    public record Auth(String bootstrapKey, String bootstrapKeyFile) {
    }

    /**
     * Invocation records arrive as messages ({@code cloudfunc.records}); the registry is their only writer.
     *
     * @param recordWait   how long {@code GET /internal/invocations/{id}} (and its logs) waits for a record not
     *                     written yet when its id was made in the last 10 s (a read right after the 202), before 404
     * @param consumers    consumers of the records queue
     * @param prefetch     messages a consumer takes at once, and applies in one transaction
     * @param requeuePause pause before messages go back to the queue when the database cannot be reached
     * @param idempotencyWindow how long an {@code Idempotency-Key} of an invoke call names its first invocation
     *                     (docs/api.md, "Idempotent retries"); after it, the key may be used for a new call
     * @param abandonAfter how long a QUEUED or RUNNING record may go without a sign of life (its acceptance, the start
     *                     of an attempt, the time a retry was due) before it is ended as FAILED, {@code Abandoned}:
     *                     longer than {@code registry.limits.max-timeout}, the longest a call may run in silence
     * @param reconcileInterval how often the registry looks for such records
     * @param retention    when final records are deleted (the series keep their counts)
     */
    public record Invocations(
            @DefaultValue("3s") @NotNull Duration recordWait,
            @DefaultValue("2") @Positive int consumers,
            @DefaultValue("32") @Positive int prefetch,
            @DefaultValue("1s") @NotNull Duration requeuePause,
            @DefaultValue("24h") @NotNull Duration idempotencyWindow,
            @DefaultValue("1h") @NotNull Duration abandonAfter,
            @DefaultValue("1m") @NotNull Duration reconcileInterval,
            @DefaultValue @Valid Retention retention) {

        public Invocations {
            if (reconcileInterval.isNegative() || reconcileInterval.isZero()) {
                throw new IllegalArgumentException("registry.invocations.reconcile-interval must be positive");
            }
        }
    }

    /**
     * Invocation records are deleted in the background once final (a QUEUED or RUNNING one is left to the
     * reconciliation, which ends it after {@code abandon-after}), when older than {@code maxAge} (by acceptance) or
     * beyond the newest {@code maxPerFunction} of their function; their counts stay in the series, to which a record
     * is added when it becomes final.
     *
     * @param maxAge         records accepted longer ago are deleted
     * @param maxPerFunction a function's records beyond its newest this many are deleted
     * @param batchSize      records deleted per statement (each its own short transaction)
     * @param interval       how often the registry deletes
     */
    public record Retention(
            @DefaultValue("7d") @NotNull Duration maxAge,
            @DefaultValue("100000") @Positive int maxPerFunction,
            @DefaultValue("1000") @Positive int batchSize,
            @DefaultValue("1m") @NotNull Duration interval) {

        public Retention {
            if (!maxAge.isPositive() || !interval.isPositive()) {
                throw new IllegalArgumentException("registry.invocations.retention max-age and interval must be "
                        + "positive");
            }
        }
    }

    /**
     * Statistics over time: per function and minute for {@code minutesKept}, then per hour until {@code keep}.
     *
     * @param minutesKept    how long minutes are kept before they are rolled up into hours; steps finer than an hour
     *                       reach back this far
     * @param keep           how long hours are kept
     * @param rollupInterval how often minutes are rolled up and old hours deleted
     */
    public record Series(
            @DefaultValue("48h") @NotNull Duration minutesKept,
            @DefaultValue("400d") @NotNull Duration keep,
            @DefaultValue("1m") @NotNull Duration rollupInterval) {

        public Series {
            if (minutesKept.compareTo(Duration.ofHours(1)) < 0 || keep.compareTo(minutesKept) < 0
                    || !rollupInterval.isPositive()) {
                throw new IllegalArgumentException("registry.series: need 1h <= minutes-kept <= keep and a positive "
                        + "rollup-interval");
            }
        }
    }

    /**
     * @param maxCpuMillis the largest CPU limit a function may set, in thousandths of a CPU (the smallest is Docker's,
     *                     10: a hundredth of a CPU). A limit above a node's CPU count does not limit anything there.
     */
    public record Limits(
            @DefaultValue("1ms") @NotNull Duration minTimeout,
            @DefaultValue("15m") @NotNull Duration maxTimeout,
            @DefaultValue("16MB") @NotNull DataSize minMemory,
            @DefaultValue("4096MB") @NotNull DataSize maxMemory,
            @DefaultValue("64000") int maxCpuMillis,
            @DefaultValue("0s") @NotNull Duration minIdleTtl,
            @DefaultValue("24h") @NotNull Duration maxIdleTtl,
            @DefaultValue("64") @Positive int maxEnvEntries,
            @DefaultValue("100") @Positive int maxInstances,
            @DefaultValue("100") @Positive int maxConcurrency,
            @DefaultValue("10") @PositiveOrZero int maxRetries,
            @DefaultValue("1h") @NotNull Duration maxRetryBackoff) {

        public Limits {
            check("registry.limits timeout", minTimeout, Duration.ofMillis(1), maxTimeout);
            check("registry.limits idle TTL", minIdleTtl, Duration.ZERO, maxIdleTtl);
            if (minMemory.toMegabytes() < 1 || minMemory.compareTo(maxMemory) > 0) {
                throw new IllegalArgumentException("registry.limits memory: need 1MB <= min-memory <= max-memory");
            }
            if (maxCpuMillis < MIN_CPU_MILLIS) {
                throw new IllegalArgumentException("registry.limits.max-cpu-millis must be at least " + MIN_CPU_MILLIS);
            }
        }

        /** Docker's smallest CPU limit: a hundredth of a CPU. */
        public static final int MIN_CPU_MILLIS = 10;

        static void check(String what, Duration value, Duration min, Duration max) {
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(what + " must lie between " + min + " and " + max);
            }
        }
    }

    /**
     * The AES-256 key secrets are encrypted with: {@code key} (base64 of 32 bytes, e.g. from the environment variable
     * {@code CLOUDFUNC_SECRETS_KEY}) or else the file {@code key-file}, which is created with a random key (mode 0600)
     * when it does not exist. A key that is not base64 of exactly 32 bytes stops the registry at start-up.
     */
    public record Secrets(
            @DefaultValue("") String key,
            java.nio.file.Path keyFile) {

        public Secrets {
            if (keyFile == null) {
                keyFile = java.nio.file.Path.of(System.getProperty("user.home"), ".cloudfunc", "registry-secrets.key");
            }
        }
    }
}

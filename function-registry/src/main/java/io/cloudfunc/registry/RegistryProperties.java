package io.cloudfunc.registry;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
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
 */
@Validated
@ConfigurationProperties("registry")
public record RegistryProperties(
        @DefaultValue("python") @NotEmpty List<@NotBlank String> runtimes,
        @DefaultValue("50MB") @NotNull DataSize maxArchiveSize,
        @DefaultValue("250MB") @NotNull DataSize maxUnpackedSize,
        @DefaultValue("10000") @Positive int maxArchiveEntries,
        @DefaultValue @Valid Defaults defaults,
        @DefaultValue @Valid Limits limits) {

    public RegistryProperties {
        runtimes = List.copyOf(runtimes);
        if (!runtimes.contains(defaults.runtime())) {
            throw new IllegalArgumentException("registry.defaults.runtime '" + defaults.runtime()
                    + "' is not one of registry.runtimes " + runtimes);
        }
        Limits.check("registry.defaults.timeout", defaults.timeout(), limits.minTimeout(), limits.maxTimeout());
        Limits.check("registry.defaults.idle-ttl", defaults.idleTtl(), limits.minIdleTtl(), limits.maxIdleTtl());
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
            @DefaultValue("60s") @NotNull Duration idleTtl) {
    }

    public record Limits(
            @DefaultValue("1ms") @NotNull Duration minTimeout,
            @DefaultValue("15m") @NotNull Duration maxTimeout,
            @DefaultValue("16MB") @NotNull DataSize minMemory,
            @DefaultValue("4096MB") @NotNull DataSize maxMemory,
            @DefaultValue("0s") @NotNull Duration minIdleTtl,
            @DefaultValue("24h") @NotNull Duration maxIdleTtl,
            @DefaultValue("64") @Positive int maxEnvEntries) {

        public Limits {
            check("registry.limits timeout", minTimeout, Duration.ofMillis(1), maxTimeout);
            check("registry.limits idle TTL", minIdleTtl, Duration.ZERO, maxIdleTtl);
            if (minMemory.toMegabytes() < 1 || minMemory.compareTo(maxMemory) > 0) {
                throw new IllegalArgumentException("registry.limits memory: need 1MB <= min-memory <= max-memory");
            }
        }

        static void check(String what, Duration value, Duration min, Duration max) {
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(what + " must lie between " + min + " and " + max);
            }
        }
    }
}

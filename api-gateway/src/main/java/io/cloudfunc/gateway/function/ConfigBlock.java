package io.cloudfunc.gateway.function;

import io.cloudfunc.contracts.function.DeployConfig;
import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.contracts.function.InlineDeployRequest;
import io.cloudfunc.contracts.function.Networks;
import io.cloudfunc.contracts.function.ResourceQuantities;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Seed 002's {@code config} block of a JSON deploy or update, turned into the native fields the registry knows:
 * {@code timeout} (seconds) into {@code timeoutMs}, {@code memory} ({@code "128Mi"}) into {@code memoryMb},
 * {@code cpu_limit} ({@code "100m"}) into {@code cpuMillis}, {@code environment} into {@code env},
 * {@code min_instances} and {@code max_instances} into theirs. {@code execution_mode} is checked and not stored (both
 * modes run the same way, see docs/api.md); {@code dependencies} are installed at deploy ({@link DependencyBuilds}),
 * not stored as a setting. A setting given both
 * ways, or a value that cannot be read, is a 400 whose {@code field} names the member ({@code config.memory}).
 */
final class ConfigBlock {

    private ConfigBlock() {
    }

    /**
     * Seed 002's {@code config.dependencies}: packages installed at deploy beside the code (requirement lines for
     * python, {@code name@range} for node); empty when none are given.
     */
    static List<String> dependencies(InlineDeployRequest request) {
        if (request.config() == null || request.config().dependencies() == null) {
            return List.of();
        }
        List<String> dependencies = request.config().dependencies();
        if (dependencies.size() > MAX_DEPENDENCIES) {
            throw invalid("config.dependencies", "At most " + MAX_DEPENDENCIES + " 'config.dependencies' may be"
                    + " given; list more in a requirements.txt or package.json of a zip archive.");
        }
        for (String dependency : dependencies) {
            if (dependency == null || dependency.isBlank() || dependency.length() > 500) {
                throw invalid("config.dependencies", "Each of 'config.dependencies' is a package requirement"
                        + " (\"requests==2.32.3\"), not blank and at most 500 characters.");
            }
        }
        return List.copyOf(dependencies);
    }

    private static final int MAX_DEPENDENCIES = 200;

    /** The request's native fields, with the config block's settings (if any) in their place. */
    static FunctionSpec merge(InlineDeployRequest request) {
        FunctionSpec spec = request.spec();
        DeployConfig config = request.config();
        if (config == null) {
            return spec;
        }
        checkExecutionMode(config, spec);
        Long timeoutMs = pick("config.timeout", config.timeout(), "timeoutMs", spec.timeoutMs(),
                ConfigBlock::timeoutMs);
        Integer memoryMb = pick("config.memory", config.memory(), "memoryMb", spec.memoryMb(),
                memory -> quantity("config.memory", memory, true));
        Integer cpuMillis = pick("config.cpu_limit", config.cpuLimit(), "cpuMillis", spec.cpuMillis(),
                cpu -> quantity("config.cpu_limit", cpu, false));
        Map<String, String> env = pick("config.environment", config.environment(), "env", spec.env(),
                ConfigBlock::environment);
        Integer minInstances = pick("config.min_instances", config.minInstances(), "minInstances",
                spec.minInstances(), min -> atLeast("config.min_instances", min, 0));
        Integer maxInstances = pick("config.max_instances", config.maxInstances(), "maxInstances",
                spec.maxInstances(), max -> atLeast("config.max_instances", max, 1));
        return new FunctionSpec(spec.name(), spec.runtime(), spec.handler(), timeoutMs, memoryMb, cpuMillis,
                spec.idleTtlMs(), env, minInstances, maxInstances, spec.concurrency(), spec.network(),
                spec.ociRuntime(), spec.image(), spec.maxRetries(), spec.retryBackoffMs(), spec.secrets(),
                spec.httpAccess(), spec.webhookSecret(), spec.deployDigest());
    }

    /**
     * {@code process} asks for a pre-warmed start: refused together with a setting of the same body that rules one
     * out (containers with network access, their own OCI runtime or their own image are made for the function).
     */
    private static void checkExecutionMode(DeployConfig config, FunctionSpec spec) {
        if (config.executionMode() != DeployConfig.ExecutionMode.PROCESS) {
            return;
        }
        String conflict = Networks.OUTBOUND.equals(spec.network()) ? "network 'outbound'"
                : spec.ociRuntime() != null ? "an OCI runtime of its own"
                : "image".equals(spec.runtime()) ? "runtime 'image'" : null;
        if (conflict != null) {
            throw invalid("config.execution_mode", "'config.execution_mode' 'process' asks for a pre-warmed start, "
                    + "which a function with " + conflict + " cannot have; use 'container'.");
        }
    }

    /** The config block's value read, or the native one; both given is a 400 naming the config member. */
    private static <T, R> R pick(String member, T configValue, String nativeField, R nativeValue,
                                 Function<T, R> reading) {
        if (configValue == null) {
            return nativeValue;
        }
        if (nativeValue != null) {
            throw invalid(member, "Both '" + member + "' and '" + nativeField + "' are given for the same setting; "
                    + "give one of them.");
        }
        return reading.apply(configValue);
    }

    /** Seconds, to the millisecond at most. */
    private static Long timeoutMs(BigDecimal seconds) {
        if (seconds.signum() <= 0) {
            throw invalid("config.timeout", "'config.timeout' must be a positive number of seconds, not "
                    + seconds.toPlainString() + ".");
        }
        BigDecimal millis = seconds.movePointRight(3);
        if (millis.stripTrailingZeros().scale() > 0) {
            throw invalid("config.timeout", "'config.timeout' is in seconds, to the millisecond at most (e.g. 30 or "
                    + "0.5), not " + seconds.toPlainString() + ".");
        }
        try {
            return millis.longValueExact();
        } catch (ArithmeticException e) {
            throw invalid("config.timeout", "'config.timeout' is too large.");
        }
    }

    private static int quantity(String member, String value, boolean memory) {
        try {
            return memory ? ResourceQuantities.memoryMb(value) : ResourceQuantities.cpuMillis(value);
        } catch (IllegalArgumentException e) {
            throw invalid(member, "Invalid '" + member + "' \"" + value + "\": " + e.getMessage() + ".");
        }
    }

    private static Map<String, String> environment(Map<String, String> environment) {
        environment.forEach((name, value) -> {
            if (value == null) {
                throw invalid("config.environment." + name, "Environment variable " + name + " has no value.");
            }
        });
        return environment;
    }

    private static Integer atLeast(String member, Integer value, int min) {
        if (value < min) {
            throw invalid(member, "'" + member + "' must be at least " + min + ", not " + value + ".");
        }
        return value;
    }

    private static ProblemException invalid(String member, String detail) {
        return Problems.invalidRequest(detail).with("field", member);
    }
}

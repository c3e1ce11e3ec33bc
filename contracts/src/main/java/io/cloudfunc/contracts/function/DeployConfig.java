package io.cloudfunc.contracts.function;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The {@code config} object of a deploy or update in seed 002's shape, beside the native fields of
 * {@link InlineDeployRequest}: each member is another spelling of a native field (a body giving both for one setting
 * is refused), except {@code execution_mode} and {@code dependencies}. docs/api.md has the mapping.
 *
 * @param executionMode {@code process} or {@code container}: both run in an isolated container (see docs/api.md)
 * @param timeout       seconds a call may run ({@code timeoutMs}); a fraction is allowed down to the millisecond
 * @param memory        memory limit in Kubernetes units, {@code "128Mi"}, {@code "1Gi"}, {@code "512M"}
 *                      ({@code memoryMb}, rounded up to a whole MiB)
 * @param cpuLimit      CPU limit in Kubernetes units, {@code "100m"} or {@code "0.5"} ({@code cpuMillis})
 * @param dependencies  packages to install: refused unless empty, until dependency builds exist
 * @param environment   environment variables ({@code env})
 * @param minInstances  containers kept warm ({@code minInstances})
 * @param maxInstances  most containers at once ({@code maxInstances})
 */
public record DeployConfig(
        @JsonProperty("execution_mode") ExecutionMode executionMode,
        BigDecimal timeout,
        String memory,
        @JsonProperty("cpu_limit") String cpuLimit,
        List<String> dependencies,
        Map<String, String> environment,
        @JsonProperty("min_instances") Integer minInstances,
        @JsonProperty("max_instances") Integer maxInstances) {

    /**
     * Seed 002's two execution modes. Both run the function in an isolated container; a cold start of either takes a
     * pre-warmed container when one fits the function, which is what {@code process} asks for.
     */
    public enum ExecutionMode {
        @JsonProperty("process") PROCESS,
        @JsonProperty("container") CONTAINER
    }
}

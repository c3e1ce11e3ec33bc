package io.cloudfunc.contracts.function;

import java.util.Map;

/**
 * JSON deploy of a one-file function: {@code code} is the source of the handler module (for python,
 * {@code function.py} when the handler is {@code function.handler}). Other fields as in {@link FunctionSpec};
 * {@code config} gives settings in seed 002's shape instead ({@link DeployConfig}), which the gateway turns into
 * these fields. Also the body of a configuration update.
 */
public record InlineDeployRequest(
        String name,
        String runtime,
        String handler,
        String code,
        Long timeoutMs,
        Integer memoryMb,
        Integer cpuMillis,
        Long idleTtlMs,
        Map<String, String> env,
        Integer minInstances,
        Integer maxInstances,
        Integer concurrency,
        String network,
        String ociRuntime,
        String image,
        Integer maxRetries,
        Long retryBackoffMs,
        Map<String, String> secrets,
        String httpAccess,
        String webhookSecret,
        DeployConfig config,
        String deployDigest) {

    /** The native fields as a spec; {@code config}, if any, is not in it. */
    public FunctionSpec spec() {
        return new FunctionSpec(name, runtime, handler, timeoutMs, memoryMb, cpuMillis, idleTtlMs, env, minInstances,
                maxInstances, concurrency, network, ociRuntime, image, maxRetries, retryBackoffMs, secrets, httpAccess,
                webhookSecret, deployDigest);
    }

    /** Leaves out the code and the secrets' values. */
    @Override
    public String toString() {
        return "InlineDeployRequest[" + spec() + ", config=" + config + ", code="
                + (code == null ? null : code.length() + " chars") + "]";
    }
}

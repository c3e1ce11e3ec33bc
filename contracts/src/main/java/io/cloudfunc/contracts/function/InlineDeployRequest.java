package io.cloudfunc.contracts.function;

import java.util.Map;

/**
 * JSON deploy of a one-file function: {@code code} is the source of the handler module (for python,
 * {@code function.py} when the handler is {@code function.handler}). Other fields as in {@link FunctionSpec}.
 */
public record InlineDeployRequest(
        String name,
        String runtime,
        String handler,
        String code,
        Long timeoutMs,
        Integer memoryMb,
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
        Map<String, String> secrets) {

    public FunctionSpec spec() {
        return new FunctionSpec(name, runtime, handler, timeoutMs, memoryMb, idleTtlMs, env, minInstances,
                maxInstances, concurrency, network, ociRuntime, image, maxRetries, retryBackoffMs, secrets);
    }

    /** Leaves out the code and the secrets' values. */
    @Override
    public String toString() {
        return "InlineDeployRequest[" + spec() + ", code=" + (code == null ? null : code.length() + " chars") + "]";
    }
}

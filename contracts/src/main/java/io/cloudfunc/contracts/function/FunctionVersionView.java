package io.cloudfunc.contracts.function;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One immutable version of a function: the configuration it was deployed with and its code archive's digest.
 * Services cache these by (name, version) for ever, since a version never changes. {@code secretNames} names its
 * secrets; the values are only given to the container-manager, by an internal endpoint. {@code cpuMillis} is the CPU
 * limit of each container in thousandths of a CPU, null for the platform's default ({@code containers.limits.cpus}).
 * {@code dependenciesDigest} names the dependency build installed beside the code (site-packages, node_modules), null
 * when the version has none; {@code dependenciesBuildMs} is how long that build took.
 */
public record FunctionVersionView(
        String functionName,
        int version,
        String runtime,
        String handler,
        long timeoutMs,
        int memoryMb,
        Integer cpuMillis,
        long idleTtlMs,
        Map<String, String> env,
        int minInstances,
        int maxInstances,
        int concurrency,
        String network,
        String ociRuntime,
        String image,
        int maxRetries,
        long retryBackoffMs,
        String codeSha256,
        long codeSize,
        Instant createdAt,
        List<String> secretNames,
        String dependenciesDigest,
        Long dependenciesBuildMs) {

    /** A version without dependencies built at deploy. */
    public FunctionVersionView(String functionName, int version, String runtime, String handler, long timeoutMs,
            int memoryMb, Integer cpuMillis, long idleTtlMs, Map<String, String> env, int minInstances,
            int maxInstances, int concurrency, String network, String ociRuntime, String image, int maxRetries,
            long retryBackoffMs, String codeSha256, long codeSize, Instant createdAt, List<String> secretNames) {
        this(functionName, version, runtime, handler, timeoutMs, memoryMb, cpuMillis, idleTtlMs, env, minInstances,
                maxInstances, concurrency, network, ociRuntime, image, maxRetries, retryBackoffMs, codeSha256,
                codeSize, createdAt, secretNames, null, null);
    }

    /** A version without a CPU limit of its own: its containers get the platform's default. */
    public FunctionVersionView(String functionName, int version, String runtime, String handler, long timeoutMs,
            int memoryMb, long idleTtlMs, Map<String, String> env, int minInstances, int maxInstances,
            int concurrency, String network, String ociRuntime, String image, int maxRetries, long retryBackoffMs,
            String codeSha256, long codeSize, Instant createdAt, List<String> secretNames) {
        this(functionName, version, runtime, handler, timeoutMs, memoryMb, null, idleTtlMs, env, minInstances,
                maxInstances, concurrency, network, ociRuntime, image, maxRetries, retryBackoffMs, codeSha256,
                codeSize, createdAt, secretNames);
    }

    /** This version with a shorter timeout: a call's own ({@code InvocationHeaders.TIMEOUT_MS}) when smaller. */
    public FunctionVersionView withTimeoutAtMost(Long callTimeoutMs) {
        if (callTimeoutMs == null || callTimeoutMs <= 0 || callTimeoutMs >= timeoutMs) {
            return this;
        }
        return new FunctionVersionView(functionName, version, runtime, handler, callTimeoutMs, memoryMb, cpuMillis,
                idleTtlMs, env, minInstances, maxInstances, concurrency, network, ociRuntime, image, maxRetries,
                retryBackoffMs, codeSha256, codeSize, createdAt, secretNames, dependenciesDigest,
                dependenciesBuildMs);
    }
}

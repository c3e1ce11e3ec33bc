package io.cloudfunc.contracts.function;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A function as the API shows it: its configuration and its latest version. {@code secretNames} names the secrets of
 * the latest version; their values are never shown. {@code cpuMillis} is the CPU limit of each container in
 * thousandths of a CPU, null for the platform's default ({@code containers.limits.cpus}). {@code httpAccess} says who
 * may call it as an HTTP function ({@link HttpAccess}); a webhook's secret is never shown. {@code deployDigest} is the
 * latest version's {@link FunctionSpec#deployDigest()}, null when its deploy gave none.
 */
public record FunctionView(
        String name,
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
        int latestVersion,
        String codeSha256,
        long codeSize,
        Instant createdAt,
        Instant updatedAt,
        List<String> secretNames,
        String httpAccess,
        String deployDigest) {

    /** A view without a deploy digest. */
    public FunctionView(String name, String runtime, String handler, long timeoutMs, int memoryMb, Integer cpuMillis,
            long idleTtlMs, Map<String, String> env, int minInstances, int maxInstances, int concurrency,
            String network, String ociRuntime, String image, int maxRetries, long retryBackoffMs, int latestVersion,
            String codeSha256, long codeSize, Instant createdAt, Instant updatedAt, List<String> secretNames,
            String httpAccess) {
        this(name, runtime, handler, timeoutMs, memoryMb, cpuMillis, idleTtlMs, env, minInstances, maxInstances,
                concurrency, network, ociRuntime, image, maxRetries, retryBackoffMs, latestVersion, codeSha256,
                codeSize, createdAt, updatedAt, secretNames, httpAccess, null);
    }

    /** A view that predates HTTP access: the default, an API key. */
    public FunctionView(String name, String runtime, String handler, long timeoutMs, int memoryMb, Integer cpuMillis,
            long idleTtlMs, Map<String, String> env, int minInstances, int maxInstances, int concurrency,
            String network, String ociRuntime, String image, int maxRetries, long retryBackoffMs, int latestVersion,
            String codeSha256, long codeSize, Instant createdAt, Instant updatedAt, List<String> secretNames) {
        this(name, runtime, handler, timeoutMs, memoryMb, cpuMillis, idleTtlMs, env, minInstances, maxInstances,
                concurrency, network, ociRuntime, image, maxRetries, retryBackoffMs, latestVersion, codeSha256,
                codeSize, createdAt, updatedAt, secretNames, HttpAccess.KEY);
    }
}

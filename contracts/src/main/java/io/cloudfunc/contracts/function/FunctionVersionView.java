package io.cloudfunc.contracts.function;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One immutable version of a function: the configuration it was deployed with and its code archive's digest.
 * Services cache these by (name, version) for ever, since a version never changes. {@code secretNames} names its
 * secrets; the values are only given to the container-manager, by an internal endpoint.
 */
public record FunctionVersionView(
        String functionName,
        int version,
        String runtime,
        String handler,
        long timeoutMs,
        int memoryMb,
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
        List<String> secretNames) {
}

package io.cloudfunc.contracts.function;

import java.time.Instant;
import java.util.Map;

/**
 * One immutable version of a function: the configuration it was deployed with and its code archive's digest.
 * Services cache these by (name, version) for ever, since a version never changes.
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
        String codeSha256,
        long codeSize,
        Instant createdAt) {
}

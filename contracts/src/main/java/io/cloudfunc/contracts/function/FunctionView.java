package io.cloudfunc.contracts.function;

import java.time.Instant;
import java.util.Map;

/** A function as the API shows it: its configuration and its latest version. */
public record FunctionView(
        String name,
        String runtime,
        String handler,
        long timeoutMs,
        int memoryMb,
        long idleTtlMs,
        Map<String, String> env,
        int latestVersion,
        String codeSha256,
        long codeSize,
        Instant createdAt,
        Instant updatedAt) {
}

package io.cloudfunc.registry.function;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** A deploy's configuration once validated and completed with the defaults: what a version is stored with. */
record FunctionConfig(
        String name,
        String runtime,
        String handler,
        long timeoutMs,
        int memoryMb,
        long idleTtlMs,
        Map<String, String> env) {

    FunctionConfig {
        // Sorted, so that the API shows variables in a stable order.
        env = Collections.unmodifiableMap(new TreeMap<>(env));
    }
}

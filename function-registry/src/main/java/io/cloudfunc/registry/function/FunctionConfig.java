package io.cloudfunc.registry.function;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deploy's configuration once validated and completed with the defaults: what a version is stored with.
 * {@code cpuMillis} is null when the function leaves its CPU limit to the container-manager's default.
 */
record FunctionConfig(
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
        Map<String, String> secrets) {

    FunctionConfig {
        // Sorted, so that the API shows variables (and secret names) in a stable order.
        env = Collections.unmodifiableMap(new TreeMap<>(env));
        secrets = Collections.unmodifiableMap(new TreeMap<>(secrets));
    }

    /** The secrets' values stay out of logs. */
    @Override
    public String toString() {
        return "FunctionConfig[name=" + name + ", runtime=" + runtime + ", version settings omitted, secrets="
                + secrets.keySet() + "]";
    }
}

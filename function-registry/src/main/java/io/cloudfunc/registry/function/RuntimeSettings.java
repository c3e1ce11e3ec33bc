package io.cloudfunc.registry.function;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * How a function runs: the columns a function (its latest configuration) and each of its versions (the
 * configuration it was deployed with) share.
 */
@Embeddable
record RuntimeSettings(
        @Column(nullable = false) String runtime,
        @Column(nullable = false) String handler,
        @Column(name = "timeout_ms", nullable = false) long timeoutMs,
        @Column(name = "memory_mb", nullable = false) int memoryMb,
        @Column(name = "cpu_millis") Integer cpuMillis,
        @Column(name = "idle_ttl_ms", nullable = false) long idleTtlMs,
        @JdbcTypeCode(SqlTypes.JSON) @Column(nullable = false) Map<String, String> env,
        @Column(name = "min_instances", nullable = false) int minInstances,
        @Column(name = "max_instances", nullable = false) int maxInstances,
        @Column(nullable = false) int concurrency,
        @Column(nullable = false) String network,
        @Column(name = "oci_runtime") String ociRuntime,
        String image,
        @Column(name = "max_retries", nullable = false) int maxRetries,
        @Column(name = "retry_backoff_ms", nullable = false) long retryBackoffMs,
        @JdbcTypeCode(SqlTypes.JSON) @Column(name = "secret_names", nullable = false) List<String> secretNames) {

    static RuntimeSettings of(FunctionConfig config) {
        return new RuntimeSettings(config.runtime(), config.handler(), config.timeoutMs(), config.memoryMb(),
                config.cpuMillis(), config.idleTtlMs(), config.env(), config.minInstances(), config.maxInstances(), config.concurrency(),
                config.network(), config.ociRuntime(), config.image(), config.maxRetries(), config.retryBackoffMs(),
                List.copyOf(config.secrets().keySet()));
    }
}

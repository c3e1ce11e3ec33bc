package io.cloudfunc.registry.function;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
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
        @Column(name = "idle_ttl_ms", nullable = false) long idleTtlMs,
        @JdbcTypeCode(SqlTypes.JSON) @Column(nullable = false) Map<String, String> env) {

    static RuntimeSettings of(FunctionConfig config) {
        return new RuntimeSettings(config.runtime(), config.handler(), config.timeoutMs(), config.memoryMb(),
                config.idleTtlMs(), config.env());
    }
}

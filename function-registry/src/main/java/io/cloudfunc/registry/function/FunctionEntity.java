package io.cloudfunc.registry.function;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A function: its current configuration (that of its latest version) and the number of that version. */
@Entity
@Table(name = "functions")
class FunctionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, updatable = false)
    private String name;

    @Column(nullable = false)
    private String runtime;

    @Column(nullable = false)
    private String handler;

    @Column(name = "timeout_ms", nullable = false)
    private long timeoutMs;

    @Column(name = "memory_mb", nullable = false)
    private int memoryMb;

    @Column(name = "idle_ttl_ms", nullable = false)
    private long idleTtlMs;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private Map<String, String> env;

    @Column(name = "latest_version", nullable = false)
    private int latestVersion;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected FunctionEntity() {
    }

    /** A new function, with no version yet: the deploy that creates it adopts its first version at once. */
    FunctionEntity(FunctionConfig config, Instant createdAt) {
        this.name = config.name();
        this.createdAt = createdAt;
        adopt(config, 0, createdAt);
    }

    /** Takes the configuration of a newly stored version and makes it the latest. */
    void adopt(FunctionConfig config, int version, Instant now) {
        this.runtime = config.runtime();
        this.handler = config.handler();
        this.timeoutMs = config.timeoutMs();
        this.memoryMb = config.memoryMb();
        this.idleTtlMs = config.idleTtlMs();
        this.env = config.env();
        this.latestVersion = version;
        this.updatedAt = now;
    }

    Long getId() {
        return id;
    }

    String getName() {
        return name;
    }

    int getLatestVersion() {
        return latestVersion;
    }
}

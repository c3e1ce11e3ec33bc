package io.cloudfunc.registry.function;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An alias: a name pointing to one version of a function (its main one when it splits its calls, see
 * {@link AliasWeights}); moving it is the only change it knows.
 */
@Entity
@Table(name = "aliases")
class AliasEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "function_id", nullable = false, updatable = false)
    private long functionId;

    @Column(nullable = false, updatable = false)
    private String name;

    @Column(nullable = false)
    private int version;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected AliasEntity() {
    }

    AliasEntity(long functionId, String name, int version, Instant now) {
        this.functionId = functionId;
        this.name = name;
        this.version = version;
        this.createdAt = now;
        this.updatedAt = now;
    }

    void moveTo(int version, Instant now) {
        this.version = version;
        this.updatedAt = now;
    }

    Long getId() {
        return id;
    }

    int getVersion() {
        return version;
    }
}

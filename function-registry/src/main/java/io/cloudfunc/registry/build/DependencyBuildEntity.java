package io.cloudfunc.registry.build;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/** A stored dependency build; never changed once written. Read through projections that leave the archive out. */
@Entity
@Immutable
@Table(name = "dependency_builds")
class DependencyBuildEntity {

    @Id
    private String digest;

    @Column(nullable = false)
    private String runtime;

    @Column(nullable = false)
    private byte[] archive;

    @Column(name = "archive_sha256", nullable = false)
    private String archiveSha256;

    @Column(name = "archive_size", nullable = false)
    private long archiveSize;

    @Column(name = "build_ms", nullable = false)
    private long buildMs;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected DependencyBuildEntity() {
    }
}

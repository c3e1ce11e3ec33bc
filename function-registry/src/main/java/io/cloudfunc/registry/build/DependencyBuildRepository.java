package io.cloudfunc.registry.build;

import io.cloudfunc.contracts.function.DependencyBuildView;
import java.time.Instant;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface DependencyBuildRepository extends JpaRepository<DependencyBuildEntity, String> {

    @Query("""
            select new io.cloudfunc.contracts.function.DependencyBuildView(
                b.digest, b.runtime, b.archiveSize, b.archiveSha256, b.buildMs, b.createdAt)
            from DependencyBuildEntity b where b.digest = :digest
            """)
    Optional<DependencyBuildView> findView(String digest);

    @Query("select b.archive from DependencyBuildEntity b where b.digest = :digest")
    Optional<byte[]> findArchive(String digest);

    /** Stores a build unless one of that digest is there (two managers built the same set at once: one is kept). */
    @Modifying
    @Query(value = """
            insert into dependency_builds (digest, runtime, archive, archive_sha256, archive_size, build_ms, created_at)
            values (:digest, :runtime, :archive, :sha256, :size, :buildMs, :createdAt)
            on conflict (digest) do nothing
            """, nativeQuery = true)
    int insertIfAbsent(String digest, String runtime, byte[] archive, String sha256, long size, long buildMs,
            Instant createdAt);
}

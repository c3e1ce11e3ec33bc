package io.cloudfunc.registry.function;

import io.cloudfunc.contracts.function.FunctionVersionView;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface FunctionVersionRepository extends JpaRepository<FunctionVersionEntity, Long> {

    String VIEW = """
            select new io.cloudfunc.contracts.function.FunctionVersionView(
                f.name, v.version, v.settings.runtime, v.settings.handler, v.settings.timeoutMs, v.settings.memoryMb,
                v.settings.cpuMillis, v.settings.idleTtlMs, v.settings.env,
                v.settings.minInstances, v.settings.maxInstances, v.settings.concurrency, v.settings.network,
                v.settings.ociRuntime, v.settings.image, v.settings.maxRetries, v.settings.retryBackoffMs,
                v.codeSha256, v.codeSize, v.createdAt, v.settings.secretNames, v.dependenciesDigest, b.buildMs)
            from FunctionVersionEntity v
            join FunctionEntity f on f.id = v.functionId
            left join DependencyBuildEntity b on b.digest = v.dependenciesDigest
            """;

    @Query(VIEW + " where f.name = :name and v.version = :version")
    Optional<FunctionVersionView> findView(String name, int version);

    /** All versions of a function, newest first. */
    @Query(VIEW + " where f.name = :name order by v.version desc")
    List<FunctionVersionView> findViews(String name);

    Optional<FunctionVersionEntity> findByFunctionIdAndVersion(long functionId, int version);

    /** The archive alone, so that only a download loads it. */
    @Query("""
            select new io.cloudfunc.registry.function.VersionCode(v.code, v.codeSha256)
            from FunctionVersionEntity v
            join FunctionEntity f on f.id = v.functionId
            where f.name = :name and v.version = :version
            """)
    Optional<VersionCode> findCode(String name, int version);
}

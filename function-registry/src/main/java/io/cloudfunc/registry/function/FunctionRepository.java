package io.cloudfunc.registry.function;

import io.cloudfunc.contracts.function.FunctionView;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface FunctionRepository extends JpaRepository<FunctionEntity, Long> {

    /** Locks the function's row, so that concurrent deploys of one function number their versions in turn. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select f from FunctionEntity f where f.name = :name")
    Optional<FunctionEntity> findByNameForUpdate(String name);

    Optional<FunctionEntity> findByName(String name);

    String VIEW = """
            select new io.cloudfunc.contracts.function.FunctionView(
                f.name, f.settings.runtime, f.settings.handler, f.settings.timeoutMs, f.settings.memoryMb,
                f.settings.cpuMillis, f.settings.idleTtlMs, f.settings.env,
                f.settings.minInstances, f.settings.maxInstances, f.settings.concurrency, f.settings.network,
                f.settings.ociRuntime, f.settings.image, f.settings.maxRetries, f.settings.retryBackoffMs, f.latestVersion,
                v.codeSha256, v.codeSize, f.createdAt, f.updatedAt, f.settings.secretNames, f.httpAccess,
                v.deployDigest)
            from FunctionEntity f
            join FunctionVersionEntity v on v.functionId = f.id and v.version = f.latestVersion
            """;

    @Query(VIEW + " order by f.name")
    List<FunctionView> findAllViews();

    @Query(VIEW + " where f.name = :name")
    Optional<FunctionView> findViewByName(String name);

    /** Deletes the function; the database deletes its versions with it. */
    @Modifying
    @Query("delete from FunctionEntity f where f.name = :name")
    int deleteByName(String name);
}

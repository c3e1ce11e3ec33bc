package io.cloudfunc.registry.function;

import io.cloudfunc.contracts.function.FunctionVersionView;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface FunctionVersionRepository extends JpaRepository<FunctionVersionEntity, Long> {

    @Query("""
            select new io.cloudfunc.contracts.function.FunctionVersionView(
                f.name, v.version, v.settings.runtime, v.settings.handler, v.settings.timeoutMs, v.settings.memoryMb,
                v.settings.idleTtlMs, v.settings.env,
                v.codeSha256, v.codeSize, v.createdAt)
            from FunctionVersionEntity v
            join FunctionEntity f on f.id = v.functionId
            where f.name = :name and v.version = :version
            """)
    Optional<FunctionVersionView> findView(String name, int version);

    /** The archive alone, so that only a download loads it. */
    @Query("""
            select new io.cloudfunc.registry.function.VersionCode(v.code, v.codeSha256)
            from FunctionVersionEntity v
            join FunctionEntity f on f.id = v.functionId
            where f.name = :name and v.version = :version
            """)
    Optional<VersionCode> findCode(String name, int version);
}

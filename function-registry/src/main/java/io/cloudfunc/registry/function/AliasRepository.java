package io.cloudfunc.registry.function;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface AliasRepository extends JpaRepository<AliasEntity, Long> {

    String VIEW = """
            select new io.cloudfunc.registry.function.AliasRow(a.id, f.name, a.name, a.version, a.createdAt, a.updatedAt)
            from AliasEntity a
            join FunctionEntity f on f.id = a.functionId
            """;

    @Query(VIEW + " where f.name = :functionName order by a.name")
    List<AliasRow> findViews(String functionName);

    @Query(VIEW + " where f.name = :functionName and a.name = :alias")
    Optional<AliasRow> findView(String functionName, String alias);

    Optional<AliasEntity> findByFunctionIdAndName(long functionId, String name);

    @Modifying
    @Query("delete from AliasEntity a where a.functionId = :functionId and a.name = :name")
    int deleteByFunctionIdAndName(long functionId, String name);
}

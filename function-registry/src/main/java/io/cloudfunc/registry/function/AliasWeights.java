package io.cloudfunc.registry.function;

import io.cloudfunc.contracts.function.AliasWeight;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The split of weighted aliases ({@code alias_weights}): the versions an alias splits its calls between, in the
 * order given, main version first. An alias that points at one version has no rows.
 */
@Repository
class AliasWeights {

    private final JdbcClient jdbc;

    AliasWeights(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** The splits of the aliases given, by alias id; an alias without a split is not in the map. */
    Map<Long, List<AliasWeight>> find(Collection<Long> aliasIds) {
        if (aliasIds.isEmpty()) {
            return Map.of();
        }
        record Row(long aliasId, int version, int weight) {
        }
        return jdbc.sql("""
                        select alias_id, version, weight from alias_weights
                        where alias_id in (:ids) order by alias_id, position""")
                .param("ids", aliasIds)
                .query((rs, n) -> new Row(rs.getLong(1), rs.getInt(2), rs.getInt(3)))
                .list().stream()
                .collect(Collectors.groupingBy(Row::aliasId, LinkedHashMap::new, Collectors.mapping(
                        row -> new AliasWeight(row.version(), row.weight()), Collectors.toList())));
    }

    /** Replaces the alias's split with {@code weights}; none (or one version) ends it. */
    void replace(long aliasId, long functionId, List<AliasWeight> weights) {
        jdbc.sql("delete from alias_weights where alias_id = :id").param("id", aliasId).update();
        if (weights.size() < 2) {
            return;
        }
        for (int position = 0; position < weights.size(); position++) {
            AliasWeight weight = weights.get(position);
            jdbc.sql("""
                            insert into alias_weights (alias_id, function_id, version, weight, position)
                            values (:alias, :function, :version, :weight, :position)""")
                    .param("alias", aliasId).param("function", functionId).param("version", weight.version())
                    .param("weight", weight.weight()).param("position", position)
                    .update();
        }
    }
}

package io.cloudfunc.registry.function;

import io.cloudfunc.contracts.function.AliasRequest;
import io.cloudfunc.contracts.function.AliasView;
import io.cloudfunc.contracts.function.AliasWeight;
import io.cloudfunc.contracts.function.FunctionRefs;
import io.cloudfunc.contracts.messaging.FunctionChanged;
import io.cloudfunc.registry.problem.RegistryProblems;
import io.cloudfunc.support.problem.Problems;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Aliases: set (create, move, split between versions by weight) and remove, each under the function's row lock so
 * that they serialise with deploys and deletes. Every change raises {@code FunctionChanged(ALIASED)}, sent after commit, so that the schedulers drop
 * what they resolved through the alias.
 */
@Service
class AliasService {

    private static final Logger log = LoggerFactory.getLogger(AliasService.class);

    private final FunctionRepository functions;
    private final FunctionVersionRepository versions;
    private final AliasRepository aliases;
    private final AliasWeights weights;
    private final ApplicationEventPublisher events;

    AliasService(FunctionRepository functions, FunctionVersionRepository versions, AliasRepository aliases,
            AliasWeights weights, ApplicationEventPublisher events) {
        this.functions = functions;
        this.versions = versions;
        this.aliases = aliases;
        this.weights = weights;
        this.events = events;
    }

    @Transactional(readOnly = true)
    List<AliasView> list(String functionName) {
        functions.findByName(functionName).orElseThrow(() -> RegistryProblems.functionNotFound(functionName));
        return views(aliases.findViews(functionName));
    }

    @Transactional(readOnly = true)
    AliasView get(String functionName, String alias) {
        checkName(alias);
        return aliases.findView(functionName, alias).map(row -> views(List.of(row)).getFirst()).orElseThrow(() -> {
            functions.findByName(functionName).orElseThrow(() -> RegistryProblems.functionNotFound(functionName));
            return RegistryProblems.aliasNotFound(functionName, alias);
        });
    }

    /**
     * Points {@code alias} to one version, or splits its calls between the versions of {@code request.weights()},
     * creating it if needed; one version ends a split.
     */
    @Transactional
    SetResult set(String functionName, String alias, AliasRequest request) {
        checkName(alias);
        List<AliasWeight> split = split(request);
        FunctionEntity function = functions.findByNameForUpdate(functionName)
                .orElseThrow(() -> RegistryProblems.functionNotFound(functionName));
        for (AliasWeight weight : split) {
            if (weight.version() < 1
                    || versions.findByFunctionIdAndVersion(function.getId(), weight.version()).isEmpty()) {
                throw RegistryProblems.versionNotFound(functionName, weight.version());
            }
        }
        int version = split.getFirst().version();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        var existing = aliases.findByFunctionIdAndName(function.getId(), alias);
        boolean created = existing.isEmpty();
        AliasEntity entity = existing.orElseGet(() -> new AliasEntity(function.getId(), alias, version, now));
        entity.moveTo(version, now);
        entity = aliases.saveAndFlush(entity);
        weights.replace(entity.getId(), function.getId(), split);
        events.publishEvent(new FunctionChanged(functionName, FunctionChanged.Change.ALIASED,
                function.getLatestVersion()));
        log.info("Alias {}:{} now points to {}", functionName, alias, split.size() == 1 ? "version " + version
                : split.stream().map(w -> w.version() + "=" + w.weight() + "%").toList());
        return new SetResult(get(functionName, alias), created);
    }

    /**
     * The versions and weights a request asks for, checked: one version (weight 100) or two to {@link
     * AliasRequest#MAX_WEIGHTS} different ones with whole weights of 1 to 99 that sum to 100.
     */
    static List<AliasWeight> split(AliasRequest request) {
        if (request.version() != null && request.weights() != null) {
            throw Problems.invalidRequest("give either \"version\" (one version) or \"weights\" (a split), not both");
        }
        if (request.version() != null) {
            return List.of(new AliasWeight(request.version(), 100));
        }
        List<AliasWeight> split = request.weights();
        if (split == null || split.isEmpty()) {
            throw Problems.invalidRequest("the body must be a JSON object with the version the alias points to, "
                    + "e.g. {\"version\": 3}, or the weights of a split, e.g. {\"weights\": [{\"version\": 3, "
                    + "\"weight\": 90}, {\"version\": 4, \"weight\": 10}]}");
        }
        if (split.size() > AliasRequest.MAX_WEIGHTS) {
            throw Problems.invalidRequest("an alias splits its calls between at most " + AliasRequest.MAX_WEIGHTS
                    + " versions, not " + split.size());
        }
        Set<Integer> seen = new HashSet<>();
        int sum = 0;
        for (AliasWeight weight : split) {
            if (weight == null || weight.version() == null || weight.weight() == null) {
                throw Problems.invalidRequest("each weight needs a \"version\" and a \"weight\"");
            }
            if (!seen.add(weight.version())) {
                throw Problems.invalidRequest("version " + weight.version() + " is listed twice in the weights");
            }
            if (weight.weight() < 1 || weight.weight() > 100) {
                throw Problems.invalidRequest("the weight of version " + weight.version() + " is " + weight.weight()
                        + "; a weight is a whole percentage from 1 to 100");
            }
            sum += weight.weight();
        }
        if (sum != 100) {
            throw Problems.invalidRequest("the weights sum to " + sum + "; they must sum to 100");
        }
        return List.copyOf(split);
    }

    private List<AliasView> views(List<AliasRow> rows) {
        Map<Long, List<AliasWeight>> splits = weights.find(rows.stream().map(AliasRow::id).toList());
        return rows.stream().map(row -> new AliasView(row.functionName(), row.alias(), row.version(),
                splits.getOrDefault(row.id(), List.of(new AliasWeight(row.version(), 100))), row.createdAt(),
                row.updatedAt())).toList();
    }

    @Transactional
    void delete(String functionName, String alias) {
        checkName(alias);
        FunctionEntity function = functions.findByNameForUpdate(functionName)
                .orElseThrow(() -> RegistryProblems.functionNotFound(functionName));
        if (aliases.deleteByFunctionIdAndName(function.getId(), alias) == 0) {
            throw RegistryProblems.aliasNotFound(functionName, alias);
        }
        events.publishEvent(new FunctionChanged(functionName, FunctionChanged.Change.ALIASED,
                function.getLatestVersion()));
        log.info("Alias {}:{} removed", functionName, alias);
    }

    private static void checkName(String alias) {
        if (!FunctionRefs.isValidAlias(alias)) {
            throw Problems.invalidRequest("invalid alias '" + alias + "': " + FunctionRefs.ALIAS_RULE)
                    .with("alias", alias);
        }
    }

    record SetResult(AliasView alias, boolean created) {
    }
}

package io.cloudfunc.registry.function;

import io.cloudfunc.contracts.function.AliasView;
import io.cloudfunc.contracts.function.FunctionRefs;
import io.cloudfunc.contracts.messaging.FunctionChanged;
import io.cloudfunc.registry.problem.RegistryProblems;
import io.cloudfunc.support.problem.Problems;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Aliases: set (create or move) and remove, each under the function's row lock so that they serialise with deploys
 * and deletes. Every change raises {@code FunctionChanged(ALIASED)}, sent after commit, so that the schedulers drop
 * what they resolved through the alias.
 */
@Service
class AliasService {

    private static final Logger log = LoggerFactory.getLogger(AliasService.class);

    private final FunctionRepository functions;
    private final FunctionVersionRepository versions;
    private final AliasRepository aliases;
    private final ApplicationEventPublisher events;

    AliasService(FunctionRepository functions, FunctionVersionRepository versions, AliasRepository aliases,
            ApplicationEventPublisher events) {
        this.functions = functions;
        this.versions = versions;
        this.aliases = aliases;
        this.events = events;
    }

    @Transactional(readOnly = true)
    List<AliasView> list(String functionName) {
        functions.findByName(functionName).orElseThrow(() -> RegistryProblems.functionNotFound(functionName));
        return aliases.findViews(functionName);
    }

    @Transactional(readOnly = true)
    AliasView get(String functionName, String alias) {
        checkName(alias);
        return aliases.findView(functionName, alias).orElseThrow(() -> {
            functions.findByName(functionName).orElseThrow(() -> RegistryProblems.functionNotFound(functionName));
            return RegistryProblems.aliasNotFound(functionName, alias);
        });
    }

    /** Points {@code alias} to {@code version}, creating it if needed. */
    @Transactional
    SetResult set(String functionName, String alias, Integer version) {
        checkName(alias);
        if (version == null) {
            throw Problems.invalidRequest("the body must be a JSON object with the version the alias points to, "
                    + "e.g. {\"version\": 3}");
        }
        FunctionEntity function = functions.findByNameForUpdate(functionName)
                .orElseThrow(() -> RegistryProblems.functionNotFound(functionName));
        if (version < 1 || versions.findByFunctionIdAndVersion(function.getId(), version).isEmpty()) {
            throw RegistryProblems.versionNotFound(functionName, version);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        var existing = aliases.findByFunctionIdAndName(function.getId(), alias);
        boolean created = existing.isEmpty();
        existing.ifPresentOrElse(entity -> entity.moveTo(version, now),
                () -> aliases.save(new AliasEntity(function.getId(), alias, version, now)));
        aliases.flush();
        events.publishEvent(new FunctionChanged(functionName, FunctionChanged.Change.ALIASED,
                function.getLatestVersion()));
        log.info("Alias {}:{} now points to version {}", functionName, alias, version);
        return new SetResult(aliases.findView(functionName, alias).orElseThrow(), created);
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

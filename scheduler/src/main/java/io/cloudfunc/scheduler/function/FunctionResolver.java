package io.cloudfunc.scheduler.function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cloudfunc.contracts.function.AliasView;
import io.cloudfunc.contracts.function.AliasWeight;
import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.function.FunctionRefs;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.scheduler.SchedulerProperties;
import io.cloudfunc.scheduler.registry.RegistryClient;
import io.cloudfunc.support.problem.Problems;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Function references ({@code name}, {@code name:3}, {@code name:prod}) resolved to the version they name, cached
 * per reference. An alias that splits its calls between versions (a weighted alias) is cached with all of them and
 * its weights, and each call draws its version ({@link Target}). All entries of a function are dropped when the registry announces a change of it (a deploy, a
 * configuration update, an alias set or removed, a delete), so the next call sees it; the TTL only bounds staleness
 * should an event be missed. Unknown functions, versions and aliases are not cached.
 */
@Component
public class FunctionResolver {

    private static final Logger log = LoggerFactory.getLogger(FunctionResolver.class);

    private final RegistryClient registry;
    private final Cache<FunctionRefs.Ref, Target> cache;

    FunctionResolver(RegistryClient registry, SchedulerProperties properties) {
        this.registry = registry;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(properties.functionCache().ttl())
                .maximumSize(properties.functionCache().maxSize())
                .build();
    }

    /**
     * Parses what an invoke names: {@code name}, {@code name:3} or {@code name:prod}; a 400 problem when it is
     * malformed (naming the function name's rule when that part is the culprit).
     */
    public static FunctionRefs.Ref parse(String reference) {
        FunctionRefs.Ref ref = FunctionRefs.parse(reference);
        if (ref != null) {
            return ref;
        }
        int colon = reference == null ? -1 : reference.indexOf(':');
        String name = colon < 0 ? reference : reference.substring(0, colon);
        throw Problems.invalidRequest(FunctionNames.isValid(name)
                ? "Invalid function reference '" + reference + "': " + FunctionRefs.REF_RULE + "."
                : "Invalid function name '" + name + "': " + FunctionNames.RULE + ".");
    }

    /**
     * The version {@code ref} names, with its configuration (for a weighted alias: the version this call runs, drawn
     * by weight); registry problems (404) propagate.
     */
    public FunctionVersionView resolve(FunctionRefs.Ref ref) {
        return target(ref).pick();
    }

    private Target target(FunctionRefs.Ref ref) {
        // Caffeine blocks an invalidate() of a key while it is being loaded, so an event that arrives during a load
        // still removes what that load stored.
        return cache.get(ref, this::load);
    }

    /** An alias is asked for its weights first: a split loads each of its versions. */
    private Target load(FunctionRefs.Ref ref) {
        if (!ref.isVersion() && !FunctionRefs.LATEST.equals(ref.qualifier())) {
            AliasView alias = registry.alias(ref.name(), ref.qualifier());
            if (alias.weights() != null && alias.weights().size() > 1) {
                return new Target(alias.weights().stream()
                        .map(weight -> registry.version(ref.name(), String.valueOf(weight.version()))).toList(),
                        alias.weights().stream().map(AliasWeight::weight).toList());
            }
        }
        return Target.of(registry.version(ref.name(), ref.qualifier()));
    }

    /**
     * Drops every cached reference of a function (it changed, or a call showed it to be stale), then loads them again
     * in the background, its latest version included: the first call after a deploy then finds the new version here
     * instead of asking the registry on its way. A reference that no longer resolves (deleted) is simply not cached.
     */
    public void invalidate(String name) {
        reload(name, drop(name, null));
    }

    /**
     * The gateway's word that it has just made {@code version} the function's latest (a deploy or a configuration
     * update): like {@link #invalidate(String)}, except that a latest version already cached at {@code version} or
     * later (the registry's event came first and brought it) is kept rather than asked for again.
     */
    public void invalidate(String name, int version) {
        FunctionRefs.Ref latest = new FunctionRefs.Ref(name, FunctionRefs.LATEST);
        Target cached = cache.getIfPresent(latest);
        reload(name, drop(name, cached != null && cached.main().version() >= version ? latest : null));
    }

    /**
     * A deploy announced with the new version in the event: it becomes the function's latest here at once (no
     * registry round trip on the first call); the function's other references are dropped and loaded again in the
     * background, as on any change.
     */
    public void deployed(FunctionVersionView version) {
        FunctionRefs.Ref latest = new FunctionRefs.Ref(version.functionName(), FunctionRefs.LATEST);
        Set<FunctionRefs.Ref> dropped = drop(version.functionName(), latest);
        cache.asMap().merge(latest, Target.of(version), (cached, deployed) ->
                cached.main().version() > deployed.main().version() ? cached : deployed);
        dropped.remove(latest);
        reload(version.functionName(), dropped);
    }

    /** Removes the function's cached references but {@code keep}; returns those removed. */
    private Set<FunctionRefs.Ref> drop(String name, FunctionRefs.Ref keep) {
        Set<FunctionRefs.Ref> dropped = ConcurrentHashMap.newKeySet();
        cache.asMap().keySet().removeIf(ref -> ref.name().equals(name) && !ref.equals(keep) && dropped.add(ref));
        if (keep == null) {
            dropped.add(new FunctionRefs.Ref(name, FunctionRefs.LATEST));
        }
        return dropped;
    }

    private void reload(String name, Set<FunctionRefs.Ref> refs) {
        if (refs.isEmpty()) {
            return;
        }
        Thread.ofVirtual().name("reload-" + name).start(() -> refs.forEach(ref -> {
            try {
                target(ref);
            } catch (RuntimeException e) { // gone, or the registry is down: the next call asks again
                log.debug("Reloading {} failed: {}", ref, e.getMessage());
            }
        }));
    }

    void invalidateAll() {
        cache.invalidateAll();
    }
}

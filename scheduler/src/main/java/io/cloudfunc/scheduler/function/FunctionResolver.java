package io.cloudfunc.scheduler.function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cloudfunc.contracts.function.FunctionView;
import io.cloudfunc.scheduler.SchedulerProperties;
import io.cloudfunc.scheduler.registry.RegistryClient;
import org.springframework.stereotype.Component;

/**
 * Functions by name, cached. An entry is dropped when the registry announces a change of that function, so a deploy
 * is seen by the next call; the TTL only bounds staleness should an event be missed. Unknown names are not cached.
 */
@Component
public class FunctionResolver {

    private final RegistryClient registry;
    private final Cache<String, FunctionView> cache;

    FunctionResolver(RegistryClient registry, SchedulerProperties properties) {
        this.registry = registry;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(properties.functionCache().ttl())
                .maximumSize(properties.functionCache().maxSize())
                .build();
    }

    /** The function's current configuration and latest version; registry problems (404) propagate. */
    public FunctionView resolve(String name) {
        // Caffeine blocks an invalidate() of a key while it is being loaded, so an event that arrives during a load
        // still removes what that load stored.
        return cache.get(name, registry::function);
    }

    /** Drops the cached entry of a function, e.g. when a call showed it to be stale. */
    public void invalidate(String name) {
        cache.invalidate(name);
    }

    void invalidateAll() {
        cache.invalidateAll();
    }
}

package io.cloudfunc.containers.invocation;

import io.cloudfunc.containers.code.CodeCache;
import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.containers.pool.PoolDecisions;
import io.cloudfunc.containers.registry.RegistryClient;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.messaging.FunctionChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * Retires containers when their function changes: all of them when it is deleted (busy ones after their call), the
 * idle ones of older versions when a new version is deployed; and readies a deployed version for its first call.
 */
@Component
class FunctionChangedListener {

    private static final Logger log = LoggerFactory.getLogger(FunctionChangedListener.class);

    private final ContainerPool pool;
    private final RegistryClient registry;
    private final CodeCache codeCache;

    FunctionChangedListener(ContainerPool pool, RegistryClient registry, CodeCache codeCache) {
        this.pool = pool;
        this.registry = registry;
        this.codeCache = codeCache;
    }

    /**
     * A new version's minInstances are started before its first call (or dropped if it has none), and its code is
     * fetched into the code cache now: the first call, cold or prewarmed, then finds the version and its code here
     * instead of asking the registry for both on its way. The event normally carries the version itself.
     */
    private void prepare(String functionName, int version, FunctionVersionView announced) {
        FunctionVersionView deployed;
        try {
            if (announced != null) {
                registry.remember(announced);
            }
            deployed = announced != null ? announced : registry.version(functionName, version, null);
            pool.keepWarm(deployed);
        } catch (RuntimeException e) {
            log.warn("Could not load {} v{} to keep its minInstances warm: {}", functionName, version,
                    e.getMessage());
            return;
        }
        if (!"image".equals(deployed.runtime())) {
            try {
                codeCache.resolve(deployed);
            } catch (RuntimeException e) { // the first call fetches it again
                log.debug("Could not fetch the code of {} v{} ahead of its first call: {}", functionName, version,
                        e.getMessage());
            }
        }
    }

    @RabbitListener(queues = "#{functionEventsQueue.name}")
    void onFunctionChanged(FunctionChanged event) {
        if (event == null || event.functionName() == null || event.change() == null) {
            log.warn("Ignoring an incomplete FunctionChanged event: {}", event);
            return;
        }
        switch (event.change()) {
            case DELETED -> {
                registry.evict(event.functionName());
                pool.dropMinimum(event.functionName());
                pool.retire(PoolDecisions.retiredByDeletion(event.functionName()),
                        event.functionName() + " deleted");
            }
            case DEPLOYED -> {
                pool.retire(PoolDecisions.retiredByDeploy(event.functionName(), event.latestVersion()),
                        event.functionName() + " v" + event.latestVersion() + " deployed");
                prepare(event.functionName(), event.latestVersion(), event.deployedVersion());
            }
        }
    }
}

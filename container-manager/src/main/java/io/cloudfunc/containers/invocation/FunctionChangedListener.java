package io.cloudfunc.containers.invocation;

import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.containers.pool.PoolDecisions;
import io.cloudfunc.containers.registry.RegistryClient;
import io.cloudfunc.contracts.messaging.FunctionChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * Retires containers when their function changes: all of them when it is deleted (busy ones after their call), the
 * idle ones of older versions when a new version is deployed.
 */
@Component
class FunctionChangedListener {

    private static final Logger log = LoggerFactory.getLogger(FunctionChangedListener.class);

    private final ContainerPool pool;
    private final RegistryClient registry;

    FunctionChangedListener(ContainerPool pool, RegistryClient registry) {
        this.pool = pool;
        this.registry = registry;
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
                pool.retire(PoolDecisions.retiredByDeletion(event.functionName()),
                        event.functionName() + " deleted");
            }
            case DEPLOYED -> pool.retire(PoolDecisions.retiredByDeploy(event.functionName(), event.latestVersion()),
                    event.functionName() + " v" + event.latestVersion() + " deployed");
        }
    }
}

package io.cloudfunc.containers.invocation;

import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.containers.registry.RegistryClient;
import io.cloudfunc.contracts.function.FunctionView;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Learns the functions that keep {@code minInstances} warm when the manager starts: a restarted manager has no
 * containers (it removes its node's leftovers) and would otherwise only learn a minimum from the function's next
 * call or deploy. Asks the registry in the background, again every few seconds while it cannot be reached.
 */
@Component
class MinimumsAtStartup implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(MinimumsAtStartup.class);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final ContainerPool pool;
    private final RegistryClient registry;
    private volatile Thread loader;

    MinimumsAtStartup(ContainerPool pool, RegistryClient registry) {
        this.pool = pool;
        this.registry = registry;
    }

    @EventListener(ApplicationReadyEvent.class)
    void load() {
        loader = Thread.ofVirtual().name("minimums-at-startup").start(this::loadUntilDone);
    }

    private void loadUntilDone() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                List<FunctionView> kept = registry.functions().stream().filter(f -> f.minInstances() > 0).toList();
                for (FunctionView function : kept) {
                    // the latest version, as a deploy event would give it (a deploy since then wins: keepWarm
                    // keeps the newer version)
                    pool.keepWarm(registry.version(function.name(), function.latestVersion(), null));
                }
                if (!kept.isEmpty()) {
                    log.info("Keeping the minimum instances of {} functions warm: {}", kept.size(),
                            kept.stream().map(FunctionView::name).toList());
                }
                return;
            } catch (RuntimeException e) {
                log.warn("Could not learn the functions' minimum instances from the registry ({}); again in {} s",
                        e.getMessage(), RETRY.toSeconds());
            }
            try {
                Thread.sleep(RETRY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void destroy() {
        Thread running = loader;
        if (running != null) {
            running.interrupt();
        }
    }
}

package io.cloudfunc.scheduler.nodes;

import io.cloudfunc.contracts.node.SeenNode;
import io.cloudfunc.scheduler.SchedulerProperties;
import io.cloudfunc.scheduler.registry.RegistryClient;
import io.cloudfunc.support.nodes.NodeDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * At start, tells the {@link NodeDirectory} of the nodes the registry saw lately ({@code scheduler.remember-nodes},
 * from their samples): announcements are not kept, so a scheduler started after a node died would never hear of it,
 * and the calls waiting in its queue would wait for ever. Those not heard within the node timeout count as out, and
 * {@link NodeTakeover} places their waiting calls on live nodes. Asked again every 5 s until the registry answers.
 */
@Component
class RememberedNodes implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RememberedNodes.class);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final RegistryClient registry;
    private final NodeDirectory directory;
    private final Duration window;
    private final Duration retry;
    private ScheduledExecutorService timer;

    @Autowired
    RememberedNodes(RegistryClient registry, NodeDirectory directory, SchedulerProperties properties) {
        this(registry, directory, properties.rememberNodes(), RETRY);
    }

    RememberedNodes(RegistryClient registry, NodeDirectory directory, Duration window, Duration retry) {
        this.registry = registry;
        this.directory = directory;
        this.window = window;
        this.retry = retry;
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("remembered-nodes").factory());
        timer.execute(this::load);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }

    private void load() {
        try {
            List<SeenNode> seen = registry.seenNodes(Instant.now().minus(window));
            Map<String, Instant> lastSeen = new HashMap<>();
            seen.forEach(node -> lastSeen.put(node.id(), node.lastSeen()));
            List<String> added = directory.remember(lastSeen);
            log.info("The registry saw {} node(s) in the last {}; {} not heard yet, out unless heard within {}: {}",
                    seen.size(), window, added.size(), directory.timeout(), added);
        } catch (RuntimeException e) {
            log.warn("Could not learn the nodes seen lately from the registry, asking again in {}: {}", retry,
                    e.getMessage());
            synchronized (this) {
                if (timer != null) {
                    timer.schedule(this::load, retry.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
    }
}

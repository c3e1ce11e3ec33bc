package io.cloudfunc.containers.node;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.contracts.messaging.NodeAnnouncement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * Drains the node: it announces {@code draining} (schedulers stop placing calls on it and place the calls waiting
 * in its queue elsewhere), stops consuming its queue (calls it had taken but not started go back to the queue),
 * lets the calls it runs finish, removes its containers, announces {@code drained} and stops ({@link NodeExit}: its
 * own container stopped, or the JVM exiting with status 0). Schedulers and gateways then count it out after their
 * node timeout.
 */
class NodeDrain {

    private static final Logger log = LoggerFactory.getLogger(NodeDrain.class);

    private final NodeAnnouncer announcer;
    private final SimpleMessageListenerContainer consumer;
    private final ContainerPool pool;
    private final NodeExit exit;
    private final Duration grace;
    private final AtomicBoolean started = new AtomicBoolean();

    NodeDrain(NodeAnnouncer announcer, SimpleMessageListenerContainer consumer, ContainerPool pool, NodeExit exit,
              ContainerManagerProperties properties) {
        this.announcer = announcer;
        this.consumer = consumer;
        this.pool = pool;
        this.exit = exit;
        this.grace = properties.consumer().shutdownGrace();
    }

    /** Starts draining (once; later calls change nothing) and returns the node's state. */
    String drain() {
        if (started.compareAndSet(false, true)) {
            announcer.state(NodeAnnouncement.DRAINING);
            announcer.announce();
            Thread.ofPlatform().name("node-drain").start(this::finish);
        }
        return announcer.state();
    }

    private void finish() {
        log.info("Draining node {}: no new calls; waiting for the calls it runs", announcer.nodeId());
        // calls taken from the queue but not started go back to it at once, for the schedulers to place elsewhere
        consumer.setForceStop(true);
        consumer.stop();
        pool.shutdown(grace);
        announcer.state(NodeAnnouncement.DRAINED);
        announcer.announce();
        exit.stop(announcer.nodeId());
    }
}

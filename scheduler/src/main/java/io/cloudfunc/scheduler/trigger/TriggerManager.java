package io.cloudfunc.scheduler.trigger;

import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.trigger.TriggerCounts;
import io.cloudfunc.contracts.trigger.TriggerDefinition;
import io.cloudfunc.scheduler.function.FunctionResolver;
import io.cloudfunc.scheduler.registry.RegistryClient;
import io.cloudfunc.support.messaging.ConfirmedPublisher;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps one {@link TriggerRunner} per trigger the registry defines: reads the definitions at start, on every
 * {@code TriggerChanged} or {@code FunctionChanged} event and every {@code refresh}, starts the new ones, stops the
 * gone ones (a changed one is restarted), and retries a trigger whose broker could not be reached. Routes invocation
 * outcomes to their runner, frees the slots of outcomes that never came, and reports counts to the registry.
 */
class TriggerManager implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TriggerManager.class);

    private final RegistryClient registry;
    private final FunctionResolver functions;
    private final ConfirmedPublisher publisher;
    private final ConnectionFactory platformBroker;
    private final JsonMapper json;
    private final TriggerProperties properties;
    private final TriggerMetrics metrics;
    private final String outcomeQueue;
    private final String instance;
    private final Map<String, TriggerRunner> runners = new HashMap<>();
    private final Map<UUID, TriggerRunner.Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("triggers").factory());
    private final java.util.concurrent.atomic.AtomicBoolean retryPending =
            new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean running;

    TriggerManager(RegistryClient registry, FunctionResolver functions, ConfirmedPublisher publisher,
                   ConnectionFactory platformBroker, JsonMapper json, TriggerProperties properties,
                   TriggerMetrics metrics, String outcomeQueue, int port) {
        this.registry = registry;
        this.functions = functions;
        this.publisher = publisher;
        this.platformBroker = platformBroker;
        this.json = json;
        this.properties = properties;
        this.metrics = metrics;
        this.outcomeQueue = outcomeQueue;
        this.instance = instanceName(port);
    }

    /** Reads the definitions again soon (an event said something changed). */
    void changed() {
        if (running) {
            timer.execute(this::reconcile);
        }
    }

    void outcome(InvocationCompleted outcome) {
        TriggerRunner.Pending call = pending.remove(outcome.invocationId());
        if (call != null) {
            call.runner().completed(call, outcome);
        }
    }

    private synchronized void reconcile() {
        if (!running) {
            return;
        }
        List<TriggerDefinition> definitions;
        try {
            definitions = registry.triggers();
        } catch (RuntimeException e) {
            log.warn("Could not read the triggers from the registry (trying again in {}): {}",
                    properties.reconnect(), e.getMessage());
            retryLater();
            return;
        }
        Map<String, TriggerDefinition> wanted = new HashMap<>();
        definitions.forEach(d -> wanted.put(d.function() + "/" + d.name(), d));
        for (var it = runners.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!entry.getValue().definition().equals(wanted.get(entry.getKey()))) {
                report(entry.getValue());
                entry.getValue().close(!wanted.containsKey(entry.getKey()));
                it.remove();
            }
        }
        wanted.forEach((key, definition) -> {
            if (runners.containsKey(key)) {
                return;
            }
            TriggerRunner runner = new TriggerRunner(definition, source(definition), functions, publisher, json,
                    outcomeQueue, pending, metrics);
            try {
                runner.start();
                runners.put(key, runner);
            } catch (Exception e) {
                log.warn("Trigger {} could not start ({}); trying again in {}", key, e.toString(),
                        properties.reconnect());
                runner.close();
                retryLater();
            }
        });
    }

    /** One retry pending at a time, however many reconciliations failed meanwhile. */
    private void retryLater() {
        if (retryPending.compareAndSet(false, true)) {
            timer.schedule(() -> {
                retryPending.set(false);
                reconcile();
            }, properties.reconnect().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private TriggerSource source(TriggerDefinition d) {
        String durable = ("cloudfunc-" + d.function() + "-" + d.name()).replaceAll("[^A-Za-z0-9_-]", "_");
        return switch (d.kind()) {
            case RABBITMQ -> new RabbitTriggerSource(rabbitFactory(d.url()), d.source(), d.concurrency());
            case MQTT -> new MqttTriggerSource(d.url() != null ? d.url() : properties.mqttUrl().toString(), d.source(),
                    durable + "-" + instance, d.concurrency());
            case NATS -> new NatsTriggerSource(d.url() != null ? d.url() : properties.natsUrl().toString(), d.source(),
                    durable, d.concurrency(), properties.natsAckWait());
        };
    }

    private com.rabbitmq.client.ConnectionFactory rabbitFactory(String url) {
        var factory = new com.rabbitmq.client.ConnectionFactory(); // automatic recovery on, unlike Spring's
        if (url == null && platformBroker instanceof CachingConnectionFactory caching) {
            // the platform's broker as Spring connects to it, on a connection of the trigger's own
            var platform = caching.getRabbitConnectionFactory();
            factory.setHost(platform.getHost());
            factory.setPort(platform.getPort());
            factory.setUsername(platform.getUsername());
            factory.setPassword(platform.getPassword());
            factory.setVirtualHost(platform.getVirtualHost());
            return factory;
        }
        try {
            factory.setUri(url == null ? "amqp://guest:guest@localhost:5672" : url);
        } catch (Exception e) {
            throw new IllegalArgumentException("invalid RabbitMQ url of a trigger");
        }
        return factory;
    }

    /** Frees the slots of invocations whose outcome did not come within {@code outcomeTimeout}. */
    private void expire() {
        Instant limit = Instant.now().minus(properties.outcomeTimeout());
        pending.entrySet().removeIf(entry -> {
            if (entry.getValue().acceptedAt().isBefore(limit)) {
                entry.getValue().runner().abandoned();
                return true;
            }
            return false;
        });
    }

    private synchronized void reportAll() {
        runners.values().forEach(this::report);
    }

    private void report(TriggerRunner runner) {
        TriggerCounts counts = runner.drainCounts();
        if (counts.deliveries() == 0 && counts.failures() == 0 && counts.lastError() == null) {
            return;
        }
        try {
            registry.reportTriggerCounts(List.of(counts));
        } catch (RuntimeException e) {
            runner.restore(counts);
        }
    }

    /**
     * Stable across restarts of this scheduler (host name and HTTP port), so that an MQTT persistent session, and
     * the messages it holds unacknowledged, is taken up again by the scheduler that comes back.
     */
    private static String instanceName(int port) {
        try {
            return InetAddress.getLocalHost().getHostName() + "-" + port;
        } catch (Exception e) {
            return "scheduler-" + port;
        }
    }

    @Override
    public void start() {
        running = true;
        timer.scheduleWithFixedDelay(this::reconcile, 0, properties.refresh().toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::reportAll, properties.report().toMillis(), properties.report().toMillis(),
                TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::expire, 30, 30, TimeUnit.SECONDS);
    }

    @Override
    public synchronized void stop() {
        running = false;
        timer.shutdownNow();
        List<TriggerRunner> stopping = new ArrayList<>(runners.values());
        runners.clear();
        stopping.forEach(runner -> {
            report(runner);
            runner.close();
        });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the intake's consumers and publishers are up; stopped before them. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }
}

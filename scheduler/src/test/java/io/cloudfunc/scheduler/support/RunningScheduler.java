package io.cloudfunc.scheduler.support;

import io.cloudfunc.scheduler.SchedulerApplication;
import io.cloudfunc.support.testing.RabbitVhost;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A scheduler started on a random port against a RabbitMQ vhost of its own, a stub registry and a fake
 * container-manager; closing it stops them all, the scheduler first.
 */
public final class RunningScheduler implements AutoCloseable {

    public final RabbitVhost vhost;
    public final StubRegistry registry;
    public final FakeContainerManager containerManager;
    public final URI base;
    private final ConfigurableApplicationContext scheduler;

    private RunningScheduler(RabbitVhost vhost, StubRegistry registry, FakeContainerManager containerManager,
                             ConfigurableApplicationContext scheduler) {
        this.vhost = vhost;
        this.registry = registry;
        this.containerManager = containerManager;
        this.scheduler = scheduler;
        this.base = URI.create("http://127.0.0.1:"
                + ((WebServerApplicationContext) scheduler).getWebServer().getPort());
    }

    /**
     * The fake container-manager declares the topology first: the scheduler's declarations must then agree with it
     * argument for argument, or its start fails.
     */
    public static RunningScheduler start(String vhostPrefix, String... settings) throws Exception {
        RabbitVhost vhost = RabbitVhost.create(vhostPrefix);
        StubRegistry registry = null;
        FakeContainerManager containerManager = null;
        try {
            registry = new StubRegistry();
            containerManager = new FakeContainerManager(vhost.name());
            List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.rabbitmq.host=127.0.0.1",
                    "--spring.rabbitmq.virtual-host=" + vhost.name(), "--scheduler.registry-url=" + registry.url()));
            args.addAll(List.of(settings));
            return new RunningScheduler(vhost, registry, containerManager,
                    new SpringApplicationBuilder(SchedulerApplication.class).run(args.toArray(String[]::new)));
        } catch (Exception | Error e) {
            closeAll(null, containerManager, registry, vhost);
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        closeAll(scheduler, containerManager, registry, vhost);
    }

    private static void closeAll(AutoCloseable... parts) throws Exception {
        Exception first = null;
        for (AutoCloseable part : parts) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}

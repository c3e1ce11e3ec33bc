package io.cloudfunc.containers.pool;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.code.CodeCache;
import io.cloudfunc.containers.docker.ContainerEngine;
import io.cloudfunc.containers.isolation.ContainerIsolation;
import io.cloudfunc.containers.registry.RegistryClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class PoolConfiguration {

    /** One platform thread for call time limits and the reaper tick; tasks on it only flip state, never block. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService cloudfuncTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("cloudfunc-timer").daemon().factory());
        timer.setRemoveOnCancelPolicy(true); // a cancelled call alarm must not linger until its deadline
        return timer;
    }

    /** Removals and other fire-and-forget work, one virtual thread each. */
    @Bean(destroyMethod = "close")
    ExecutorService cloudfuncBackground() {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cloudfunc-bg-", 0).factory());
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ContainerDirectories containerDirectories(ContainerManagerProperties properties) {
        return new ContainerDirectories(properties.socketRoot(), properties.runtimeUid());
    }

    @Bean
    ContainerIsolation containerIsolation(ContainerEngine engine, ContainerManagerProperties properties, Clock clock) {
        return new ContainerIsolation(engine, properties.isolation(), clock);
    }

    @Bean
    ContainerLauncher containerLauncher(ContainerEngine engine, CodeCache codeCache, ContainerDirectories directories,
                                        ContainerManagerProperties properties, ContainerIsolation isolation,
                                        JsonMapper json, @Qualifier("cloudfuncTimer") ScheduledExecutorService timer,
                                        RegistryClient registry) {
        return new DockerContainerLauncher(engine, codeCache, directories, properties, isolation, json, timer,
                function -> registry.secrets(function.functionName(), function.version()));
    }

    @Bean
    ContainerPool containerPool(ContainerLauncher launcher,
                                @Qualifier("cloudfuncBackground") ExecutorService background, Clock clock,
                                ContainerManagerProperties properties, CodeCache codeCache, MeterRegistry meters) {
        return new ContainerPool(launcher, background, clock, settings(properties), codeCache::resolve, meters);
    }

    static PoolSettings settings(ContainerManagerProperties properties) {
        ContainerManagerProperties.Pool pool = properties.pool();
        Map<String, PoolSettings.Prewarm> prewarm = new HashMap<>();
        properties.runtimes().forEach((runtime, image) -> {
            if (image.prewarmMax() > 0) {
                prewarm.put(runtime, new PoolSettings.Prewarm(image.prewarmMin(), image.prewarmMax(),
                        image.prewarmAnyMemory()));
            }
        });
        return new PoolSettings(
                new NodeCapacity(pool.memoryBudget().toMegabytes(), pool.maxContainers()),
                pool.capacityWait(), pool.defaultIdleTtl(), pool.maxWaitingPerFunction(), prewarm,
                (int) pool.prewarmMemory().toMegabytes(), pool.prewarmWindow());
    }

    @Bean
    PoolLifecycle poolLifecycle(ContainerPool pool, ContainerEngine engine, ContainerDirectories directories,
                                ContainerManagerProperties properties,
                                @Qualifier("cloudfuncBackground") ExecutorService background,
                                @Qualifier("cloudfuncTimer") ScheduledExecutorService timer) {
        OrphanCleaner orphans = new OrphanCleaner(engine, directories, properties.node(), background);
        return new PoolLifecycle(pool, orphans, timer, properties.pool().reaperInterval(),
                properties.consumer().shutdownGrace());
    }
}

package io.cloudfunc.containers.pool;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.code.CodeCache;
import io.cloudfunc.containers.docker.ContainerEngine;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
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
    ContainerLauncher containerLauncher(ContainerEngine engine, CodeCache codeCache, ContainerDirectories directories,
                                        ContainerManagerProperties properties, JsonMapper json,
                                        @Qualifier("cloudfuncTimer") ScheduledExecutorService timer) {
        return new DockerContainerLauncher(engine, codeCache, directories, properties, json, timer);
    }

    @Bean
    ContainerPool containerPool(ContainerLauncher launcher,
                                @Qualifier("cloudfuncBackground") ExecutorService background, Clock clock,
                                ContainerManagerProperties properties, MeterRegistry meters) {
        ContainerManagerProperties.Pool pool = properties.pool();
        return new ContainerPool(launcher, background, clock, pool.maxContainers(), pool.capacityWait(),
                pool.defaultIdleTtl(), meters);
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

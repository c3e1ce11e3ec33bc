package io.cloudfunc.gateway.downstream;

import io.cloudfunc.gateway.GatewayProperties;
import io.cloudfunc.support.http.PooledHttpClientSettings;
import io.cloudfunc.support.http.PooledHttpClients;
import io.cloudfunc.support.nodes.NodeDirectory;
import java.time.Duration;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One pooled, blocking HTTP/1.1 client for both services ({@link PooledHttpClients}); no retries (an invoke must not
 * run twice).
 */
@Configuration(proxyBeanMethods = false)
class DownstreamConfiguration {

    @Bean(destroyMethod = "close")
    CloseableHttpClient downstreamHttpClient(GatewayProperties properties) {
        // Each request sets its own response timeout (registry and scheduler differ).
        return PooledHttpClients.create(new PooledHttpClientSettings(1024, 512, properties.connectTimeout(),
                null, null, Duration.ofSeconds(20), false));
    }

    @Bean
    RegistryService registryService(GatewayProperties properties, CloseableHttpClient downstreamHttpClient) {
        return new RegistryService(properties, downstreamHttpClient);
    }

    @Bean
    ContainerManagers containerManagers(GatewayProperties properties, CloseableHttpClient downstreamHttpClient,
                                        NodeDirectory nodes) {
        return new ContainerManagers(properties, downstreamHttpClient, nodes);
    }

    @Bean
    SchedulerService schedulerService(GatewayProperties properties, CloseableHttpClient downstreamHttpClient) {
        return new SchedulerService(properties, downstreamHttpClient);
    }
}

package io.cloudfunc.gateway.downstream;

import io.cloudfunc.gateway.GatewayProperties;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One blocking HTTP/1.1 client for both services. On a virtual thread a call is one write and one read on a pooled,
 * kept-alive connection with TCP_NODELAY; no retries (an invoke must not run twice).
 */
@Configuration(proxyBeanMethods = false)
class DownstreamConfiguration {

    @Bean(destroyMethod = "close")
    CloseableHttpClient downstreamHttpClient(GatewayProperties properties) {
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(1024)
                .setMaxConnPerRoute(512)
                .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(properties.connectTimeout()))
                        // A connection idle for a while may have been closed by the other side: check before reuse.
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .build())
                .build();
        return HttpClients.custom()
                .setConnectionManager(connections)
                .evictIdleConnections(TimeValue.ofSeconds(20))
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableRedirectHandling()
                .disableAuthCaching()
                .build();
    }

    @Bean
    RegistryService registryService(GatewayProperties properties, CloseableHttpClient downstreamHttpClient) {
        return new RegistryService(properties, downstreamHttpClient);
    }

    @Bean
    SchedulerService schedulerService(GatewayProperties properties, CloseableHttpClient downstreamHttpClient) {
        return new SchedulerService(properties, downstreamHttpClient);
    }
}

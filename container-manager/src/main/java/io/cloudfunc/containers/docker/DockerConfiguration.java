package io.cloudfunc.containers.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.cloudfunc.containers.ContainerManagerProperties;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DockerConfiguration {

    /**
     * No API version is set: docker-java then sends unversioned requests and the daemon answers with its own
     * version (1.41 on Docker 20.10). Pinning a newer one would break older engines.
     */
    @Bean(destroyMethod = "close")
    DockerClient dockerClient(ContainerManagerProperties properties) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(properties.dockerHost())
                .build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(URI.create(properties.dockerHost()))
                .maxConnections(Math.max(16, properties.consumer().concurrency() * 2))
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(properties.timeouts().dockerResponse())
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    @Bean
    ContainerEngine containerEngine(DockerClient dockerClient, ContainerManagerProperties properties) {
        return new DockerJavaEngine(dockerClient, URI.create(properties.dockerHost()));
    }

    @Bean
    AbstractHealthIndicator dockerHealthIndicator(ContainerEngine engine) {
        return new AbstractHealthIndicator("Docker engine is not reachable") {
            @Override
            protected void doHealthCheck(Health.Builder builder) {
                engine.ping();
                builder.up();
            }
        };
    }
}

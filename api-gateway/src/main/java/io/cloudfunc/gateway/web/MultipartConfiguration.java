package io.cloudfunc.gateway.web;

import io.cloudfunc.gateway.GatewayProperties;
import jakarta.servlet.MultipartConfigElement;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Servlet multipart limits from {@code gateway.max-archive-size} and {@code gateway.multipart.*} (this bean replaces
 * Boot's {@code spring.servlet.multipart.*}), so an oversized upload is refused while it is read, with a 413 problem.
 */
@Configuration(proxyBeanMethods = false)
class MultipartConfiguration {

    @Bean
    MultipartConfigElement multipartConfigElement(GatewayProperties properties) {
        return new MultipartConfigElement("",
                properties.maxArchiveSize().toBytes(),
                properties.maxDeployRequestBytes(),
                (int) Math.min(Integer.MAX_VALUE, properties.multipart().fileSizeThreshold().toBytes()));
    }
}

package io.cloudfunc.gateway.web;

import io.cloudfunc.gateway.GatewayProperties;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.multipart.support.StandardServletMultipartResolver;

/**
 * Servlet multipart limits from {@code gateway.max-archive-size} and {@code gateway.multipart.*} (this bean replaces
 * Boot's {@code spring.servlet.multipart.*}), so an oversized upload is refused while it is read, with a 413 problem.
 * A form posted to {@code /images} is left unparsed: an image archive may be far larger than a code archive, and
 * the image controller streams its one part itself, within {@code gateway.max-image-size}.
 */
@Configuration(proxyBeanMethods = false)
class MultipartConfiguration {

    private static final String IMAGES = "/images";

    @Bean
    MultipartConfigElement multipartConfigElement(GatewayProperties properties) {
        return new MultipartConfigElement("",
                properties.maxArchiveSize().toBytes(),
                properties.maxDeployRequestBytes(),
                (int) Math.min(Integer.MAX_VALUE, properties.multipart().fileSizeThreshold().toBytes()));
    }

    /** Named like Boot's, which it replaces (the dispatcher servlet looks it up by this name). */
    @Bean
    MultipartResolver multipartResolver() {
        return new StandardServletMultipartResolver() {
            @Override
            public boolean isMultipart(HttpServletRequest request) {
                return super.isMultipart(request)
                        && !request.getRequestURI().equals(request.getContextPath() + IMAGES);
            }
        };
    }
}

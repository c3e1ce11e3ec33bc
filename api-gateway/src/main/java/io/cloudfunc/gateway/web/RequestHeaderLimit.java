package io.cloudfunc.gateway.web;

import io.cloudfunc.gateway.GatewayProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code gateway.max-header-size}: a request whose request line and headers together are larger gets a 413
 * {@code payload-too-large} problem detail, like an oversized body or archive. Tomcat alone answers such requests
 * with a bare 400 while it parses them, so its parser limit is raised well above ours (4 times, at least 64 KB) and
 * this filter, first of all, measures and refuses; only a request past Tomcat's limit still gets its 400 (as a problem
 * detail, through platform-support's error valve).
 */
@Configuration(proxyBeanMethods = false)
class RequestHeaderLimit {

    static final long MIN_PARSER_LIMIT = 64 * 1024;

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> headerParserLimit(GatewayProperties properties) {
        long limit = Math.max(MIN_PARSER_LIMIT, properties.maxHeaderSize().toBytes() * 4);
        int parserLimit = (int) Math.min(Integer.MAX_VALUE, limit);
        return factory -> factory.addConnectorCustomizers(connector -> {
            if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                http.setMaxHttpRequestHeaderSize(parserLimit);
            }
        });
    }

    @Bean
    FilterRegistrationBean<HeaderSizeFilter> headerSizeFilter(GatewayProperties properties) {
        var registration = new FilterRegistrationBean<>(new HeaderSizeFilter(properties.maxHeaderSize().toBytes()));
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE); // before authentication: a huge Authorization header too
        return registration;
    }

    static final class HeaderSizeFilter extends OncePerRequestFilter {

        private final long limit;
        private final byte[] body;

        HeaderSizeFilter(long limit) {
            this.limit = limit;
            String kb = limit % 1024 == 0 ? limit / 1024 + " KB" : limit + " bytes";
            this.body = ("{\"type\":\"urn:cloudfunc:problem:payload-too-large\",\"title\":\"Payload too large\","
                    + "\"status\":413,\"detail\":\"The request line and headers are too large: at most " + kb
                    + " together.\"}").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (size(request) > limit) {
                response.setStatus(413);
                response.setHeader("Connection", "close");
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
                return;
            }
            chain.doFilter(request, response);
        }

        /** Bytes of the request line and header lines as sent (near enough: ASCII, ": " and CRLF counted). */
        static long size(HttpServletRequest request) {
            long size = request.getMethod().length() + request.getRequestURI().length() + 11;
            if (request.getQueryString() != null) {
                size += request.getQueryString().length() + 1;
            }
            for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
                String name = names.nextElement();
                for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                    size += name.length() + values.nextElement().length() + 4;
                }
            }
            return size;
        }
    }
}

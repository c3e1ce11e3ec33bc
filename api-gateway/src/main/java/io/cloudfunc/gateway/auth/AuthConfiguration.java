package io.cloudfunc.gateway.auth;

import io.cloudfunc.gateway.GatewayProperties;
import io.cloudfunc.gateway.downstream.RegistryService;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/** The API key filter, ahead of every other filter, and what it uses. */
@Configuration(proxyBeanMethods = false)
class AuthConfiguration {

    @Bean
    KeyVerifier keyVerifier(RegistryService registry, JsonMapper json, GatewayProperties properties) {
        return new KeyVerifier(registry, json, properties.auth(), System::nanoTime);
    }

    @Bean
    RateLimiter rateLimiter(GatewayProperties properties) {
        return new RateLimiter(properties.auth().rateLimits(), System::nanoTime);
    }

    @Bean
    FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(KeyVerifier verifier, RateLimiter limiter, JsonMapper json) {
        var registration = new FilterRegistrationBean<>(new ApiKeyFilter(verifier, limiter, json,
                Clock.systemUTC()));
        registration.addUrlPatterns("/*");
        // Right after the header size check, before Boot's filters (character encoding, form content): nothing is
        // read before the key is.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}

package io.cloudfunc.support.web;

import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * No HTTP observation ({@code http.server.requests}, {@code http.client.requests}) of the services' internal APIs
 * ({@code /internal/**}), on either side: the scheduler's invoke endpoint and the registry's record writes are on
 * every call's path, where a Micrometer observation per request cost 7-8 % of each service's CPU (issue 5's
 * profile). Calls are measured where they enter the platform (the gateway's public API) and by the services' own
 * meters ({@code cloudfunc.*}); actuator and public endpoints are still observed.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ObservationPredicate.class, ServerRequestObservationContext.class})
public class InternalRequestObservations {

    static final String INTERNAL_PREFIX = "/internal/";

    @Bean
    ObservationPredicate noInternalRequestObservations() {
        return (name, context) -> switch (context) {
            case ServerRequestObservationContext server -> !isInternal(server.getCarrier());
            case ClientRequestObservationContext client -> !isInternal(client.getCarrier());
            default -> true;
        };
    }

    static boolean isInternal(ClientHttpRequest request) {
        if (request == null || request.getURI() == null) {
            return false;
        }
        String path = request.getURI().getRawPath();
        return path != null && path.startsWith(INTERNAL_PREFIX);
    }

    static boolean isInternal(HttpServletRequest request) {
        if (request == null) {
            return false;
        }
        String uri = request.getRequestURI();
        String contextPath = request.getContextPath();
        int start = contextPath == null ? 0 : contextPath.length();
        return uri != null && uri.startsWith(INTERNAL_PREFIX, start);
    }
}

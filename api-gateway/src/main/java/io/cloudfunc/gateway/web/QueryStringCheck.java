package io.cloudfunc.gateway.web;

import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * A query string Tomcat cannot decode ({@code ?foo=%zz}, too many parameters) is a 400 on every path, before any
 * controller asks for a parameter: Tomcat parses parameters lazily and throws from whichever
 * {@code getParameter} call comes first, which would otherwise end as a 500, or pass unnoticed on a path that reads
 * none. A request without a query string costs one null check.
 */
@Configuration(proxyBeanMethods = false)
class QueryStringCheck {

    @Bean
    FilterRegistrationBean<QueryStringFilter> queryStringFilter(JsonMapper json) {
        var registration = new FilterRegistrationBean<>(new QueryStringFilter(json));
        registration.addUrlPatterns("/*");
        // after the API key filter: parsing parameters may read a form body, and nothing is read before the key is
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    static final class QueryStringFilter extends OncePerRequestFilter {

        static final String DETAIL = "The query string could not be read: it has a malformed %-escape (a '%' must be"
                + " followed by two hex digits) or too many parameters.";

        private final JsonMapper json;

        QueryStringFilter(JsonMapper json) {
            this.json = json;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getQueryString() != null) {
                try {
                    request.getParameterMap();
                } catch (InvalidParameterException e) {
                    FilterProblems.write(request, response, Problems.invalidRequest(DETAIL).problem(), Map.of(),
                            json);
                    return;
                }
            }
            chain.doFilter(request, response);
        }
    }
}

package io.cloudfunc.gateway.web;

import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * A query string Tomcat cannot decode ({@code ?foo=%zz}, too many parameters) is a 400 on every path, before any
 * controller asks for a parameter: Tomcat parses parameters lazily and throws from whichever
 * {@code getParameter} call comes first, which would otherwise end as a 500, or pass unnoticed on a path that reads
 * none. A request without a query string costs one null check. A form-encoded body is never parsed here (it may be
 * an event sent with {@code curl -d}'s default type): for such a request only the query string's escapes are
 * checked.
 */
@Configuration(proxyBeanMethods = false)
public class QueryStringCheck {

    static final String DETAIL = "The query string could not be read: it has a malformed %-escape (a '%' must be"
            + " followed by two hex digits) or too many parameters.";

    /** The 400 for a query string Tomcat refused to decode ({@link InvalidParameterException}). */
    public static ProblemException malformed() {
        return Problems.invalidRequest(DETAIL);
    }

    @Bean
    FilterRegistrationBean<QueryStringFilter> queryStringFilter(JsonMapper json) {
        var registration = new FilterRegistrationBean<>(new QueryStringFilter(json));
        registration.addUrlPatterns("/*");
        // after the API key filter: parsing parameters may read a form body, and nothing is read before the key is
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    static final class QueryStringFilter extends OncePerRequestFilter {

        private final JsonMapper json;

        QueryStringFilter(JsonMapper json) {
            this.json = json;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getQueryString() != null && !readable(request)) {
                ServletAnswers.write(request, response, malformed().problem(), new HttpHeaders(), json);
                return;
            }
            chain.doFilter(request, response);
        }

        private static boolean readable(HttpServletRequest request) {
            String type = request.getContentType();
            if (type != null && type.regionMatches(true, 0, FORM, 0, FORM.length())) {
                return escapesAreWellFormed(request.getQueryString());
            }
            try {
                request.getParameterMap();
                return true;
            } catch (InvalidParameterException e) {
                return false;
            }
        }
    }

    private static final String FORM = "application/x-www-form-urlencoded";

    /** Every '%' followed by two hex digits. */
    static boolean escapesAreWellFormed(String query) {
        for (int i = query.indexOf('%'); i >= 0; i = query.indexOf('%', i + 1)) {
            if (i + 2 >= query.length() || Character.digit(query.charAt(i + 1), 16) < 0
                    || Character.digit(query.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}

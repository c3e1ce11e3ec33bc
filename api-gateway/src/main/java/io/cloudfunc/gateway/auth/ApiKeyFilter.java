package io.cloudfunc.gateway.auth;

import io.cloudfunc.contracts.auth.ApiKeyRole;
import io.cloudfunc.contracts.auth.ApiKeyView;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.gateway.web.ServletAnswers;
import io.cloudfunc.support.auth.ApiKeySecrets;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authenticates every request but the public ones ({@link AccessRules}) by its {@code Authorization: Bearer <key>},
 * checks the key's role, and takes one token from the key's rate limit, before anything reads the body (an
 * unauthenticated upload is refused without being parsed). Answers 401 (with {@code WWW-Authenticate: Bearer}), 403
 * or 429 (with {@code Retry-After}) problem details itself, since a filter's failures never reach the controller
 * advice. An authenticated request carries its {@link Caller}. A request to an HTTP function ({@code /fn/...})
 * without an {@code Authorization} header goes on without one: the function may be public or take a webhook
 * signature, which the HTTP functions' filter checks.
 */
final class ApiKeyFilter extends OncePerRequestFilter {

    private static final String REALM = "Bearer realm=\"cloudfunc\"";

    private final KeyVerifier verifier;
    private final RateLimiter limiter;
    private final JsonMapper json;
    private final Clock clock;

    ApiKeyFilter(KeyVerifier verifier, RateLimiter limiter, JsonMapper json, Clock clock) {
        this.verifier = verifier;
        this.limiter = limiter;
        this.json = json;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Optional<ApiKeyRole> required = AccessRules.required(request.getMethod(), path);
        if (required.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        String secret = bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (secret == null && request.getHeader(HttpHeaders.AUTHORIZATION) == null && isHttpFunction(request)) {
            // an HTTP function may be public or take a webhook signature: its filter decides, knowing the function
            chain.doFilter(request, response);
            return;
        }
        if (secret == null) {
            unauthorized(request, response, REALM, "This request needs an API key: send 'Authorization: Bearer "
                    + "<key>' (cloudfunc: --api-key, CLOUDFUNC_API_KEY or 'cloudfunc login').");
            return;
        }
        ApiKeyView key;
        try {
            key = ApiKeySecrets.isWellFormed(secret) ? verifier.find(secret).orElse(null) : null;
        } catch (ProblemException e) {
            write(request, response, e.problem(), Map.of());
            return;
        }
        String refused = refusal(key);
        if (refused != null) {
            unauthorized(request, response, REALM + ", error=\"invalid_token\"", refused);
            return;
        }
        if (!key.role().includes(required.get())) {
            ProblemDetail problem = Problems.of(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "The API key '"
                    + key.name() + "' has role " + key.role().label() + "; this request needs role "
                    + required.get().label() + " or higher.");
            problem.setProperty("role", key.role().label());
            problem.setProperty("requiredRole", required.get().label());
            write(request, response, problem, Map.of());
            return;
        }
        long waitNanos = limiter.tryAcquire(key);
        if (waitNanos > 0) {
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            ProblemDetail problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS, ProblemTypes.RATE_LIMITED,
                    "The API key '" + key.name() + "' is over its rate limit; retry in " + seconds + " s.");
            problem.setProperty("retryAfterSeconds", seconds);
            write(request, response, problem, Map.of(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
            return;
        }
        request.setAttribute(Caller.ATTRIBUTE, new Caller(key.id(), key.name(), key.role()));
        chain.doFilter(request, response);
    }

    /**
     * A request to {@code /fn/...} as the servlet container maps it (decoded, {@code ..} resolved): only the HTTP
     * functions' filter is mapped there, and nothing of Spring MVC, so a request let through without a key reaches
     * nothing else, whatever its raw path says.
     */
    static boolean isHttpFunction(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path = pathInfo == null ? servletPath : servletPath + pathInfo;
        return path.startsWith("/fn/") && path.length() > "/fn/".length()
                && request.getRequestURI().startsWith("/fn/", request.getContextPath().length());
    }

    /** Why a key found (or not) cannot be used, or null when it can. */
    private String refusal(ApiKeyView key) {
        if (key == null) {
            return "The API key is not valid.";
        }
        if (key.revokedAt() != null) {
            return "The API key '" + key.name() + "' was revoked at " + key.revokedAt() + ".";
        }
        Instant now = clock.instant();
        if (key.expiresAt() != null && !now.isBefore(key.expiresAt())) {
            return "The API key '" + key.name() + "' expired at " + key.expiresAt() + ".";
        }
        return null;
    }

    /** The token of {@code Authorization: Bearer <token>} (scheme case-insensitive), or null. */
    static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = value.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    private void unauthorized(HttpServletRequest request, HttpServletResponse response, String challenge,
            String detail) throws IOException {
        write(request, response, Problems.of(HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHORIZED, detail),
                Map.of(HttpHeaders.WWW_AUTHENTICATE, challenge));
    }

    private void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem,
            Map<String, String> headers) throws IOException {
        var httpHeaders = new HttpHeaders();
        headers.forEach(httpHeaders::set);
        ServletAnswers.write(request, response, problem, httpHeaders, json);
    }
}

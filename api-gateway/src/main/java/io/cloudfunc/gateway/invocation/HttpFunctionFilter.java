package io.cloudfunc.gateway.invocation;

import io.cloudfunc.contracts.function.HttpAccess;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.gateway.GatewayProperties;
import io.cloudfunc.gateway.auth.Caller;
import io.cloudfunc.gateway.web.RequestBodies;
import io.cloudfunc.gateway.web.ServletAnswers;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ANY /fn/{ref}[/{path}]}: HTTP functions. The whole request becomes the event, in the shape of Lambda's
 * function URL payload 2.0 ({@link FunctionUrlEvents}), and goes the invoke route's way (the schedulers' intake queue
 * on RabbitMQ, {@link InvocationIntake}, synchronously); the function's result is the HTTP answer
 * ({@link FunctionUrlResponses}): a response it built, or 200 with the result as JSON. Answered by this filter after
 * the API key check, like the invoke route, without Spring MVC's dispatch. A request without an API key (which the
 * key check lets through to here) is the function's to allow ({@link HttpAccessRules}): public, a webhook request
 * whose signature matches, or else 401.
 */
final class HttpFunctionFilter extends OncePerRequestFilter {

    static final String ROUTE = "/fn/{ref}/**";
    static final String PREFIX = "/fn/";
    private static final String REALM = "Bearer realm=\"cloudfunc\"";
    private static final Logger log = LoggerFactory.getLogger(HttpFunctionFilter.class);

    private final InvocationIntake intake;
    private final InvocationReplies replies;
    private final HttpAccessRules access;
    private final JsonMapper json;
    private final long maxBodyBytes;

    HttpFunctionFilter(InvocationIntake intake, InvocationReplies replies, HttpAccessRules access,
            GatewayProperties properties, JsonMapper json) {
        this.intake = intake;
        this.replies = replies;
        this.access = access;
        this.json = json;
        this.maxBodyBytes = properties.maxEventSize().toBytes();
    }

    /**
     * The function reference and the raw path under it, of a request to {@code /fn/{ref}[/{path}]}; the function's
     * own path is {@code /fn/{name}} whatever version or alias the reference names.
     */
    record Target(String ref, String basePath, String rawPath) {

        /** The target of {@code request}, or null for any other path. */
        static Target of(HttpServletRequest request) {
            String uri = request.getRequestURI();
            int start = request.getContextPath().length() + PREFIX.length();
            if (!uri.startsWith(PREFIX, request.getContextPath().length()) || uri.length() <= start) {
                return null;
            }
            int slash = uri.indexOf('/', start);
            int end = slash < 0 ? uri.length() : slash;
            if (end == start) {
                return null;
            }
            String raw = uri.substring(start, end);
            String ref;
            try {
                ref = raw.indexOf('%') < 0 ? raw : UriUtils.decode(raw, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                ref = raw; // not a valid name either way: the name check answers 400
            }
            int colon = ref.indexOf(':');
            return new Target(ref, PREFIX + (colon < 0 ? ref : ref.substring(0, colon)),
                    slash < 0 ? "/" : uri.substring(slash));
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Target target = Target.of(request);
        if (target == null) {
            chain.doFilter(request, response);
            return;
        }
        ServerHttpObservationFilter.findObservationContext(request).ifPresent(context -> context.setPathPattern(ROUTE));
        ResponseEntity<?> answer;
        try {
            answer = call(target, request);
        } catch (ProblemException e) {
            answer = ResponseEntity.status(e.problem().getStatus()).body(e.problem());
        } catch (RuntimeException e) {
            log.error("Unexpected error", e);
            answer = ResponseEntity.internalServerError().body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR,
                    ProblemTypes.PLATFORM_ERROR, "The gateway failed unexpectedly; the error is in its log."));
        }
        ServletAnswers.write(request, response, answer, json);
    }

    private ResponseEntity<?> call(Target target, HttpServletRequest request) {
        String ref = target.ref();
        FunctionReferences.check(ref);
        byte[] body = RequestBodies.read(request, maxBodyBytes, "the request body");
        UUID keyId = request.getAttribute(Caller.ATTRIBUTE) instanceof Caller caller ? caller.keyId() : null;
        if (keyId == null) { // no API key (the API key filter lets such requests to /fn through): the function decides
            String name = target.basePath().substring(PREFIX.length());
            switch (access.withoutKey(name, body, request.getHeader(HttpAccess.SIGNATURE_HEADER))) {
                case ALLOWED -> {
                }
                case NEEDS_KEY -> {
                    return unauthorized(REALM, "This request needs an API key: send 'Authorization: Bearer <key>'.");
                }
                case BAD_SIGNATURE -> {
                    return unauthorized("HMAC-SHA256 realm=\"cloudfunc\"", "The request's "
                            + HttpAccess.SIGNATURE_HEADER + " header is missing or does not match its body: it must be"
                            + " 'sha256=' and the hex HMAC-SHA256 of the body keyed with the function's webhook"
                            + " secret.");
                }
            }
        }
        byte[] event = FunctionUrlEvents.of(request, target.rawPath(), body, json);
        Message reply = intake.call(ref, event, keyId);
        if (InvocationReplies.isProblem(reply)) {
            return replies.problem(reply);
        }
        InvocationCompleted completed = replies.completed(reply);
        return FunctionUrlResponses.toResponse(completed, target.basePath(), json);
    }

    private static ResponseEntity<?> unauthorized(String challenge, String detail) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .body(Problems.of(HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHORIZED, detail));
    }
}

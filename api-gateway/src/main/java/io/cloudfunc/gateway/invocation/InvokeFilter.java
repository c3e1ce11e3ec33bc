package io.cloudfunc.gateway.invocation;

import io.cloudfunc.contracts.invocation.AsyncInvocationAccepted;
import io.cloudfunc.contracts.invocation.InvocationIds;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.gateway.GatewayProperties;
import io.cloudfunc.gateway.auth.Caller;
import io.cloudfunc.gateway.web.QueryStringCheck;
import io.cloudfunc.gateway.web.RequestBodies;
import io.cloudfunc.gateway.web.ServletAnswers;
import io.cloudfunc.support.callback.CallbackUrls;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.util.UriUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /functions/{ref}/invoke} (and seed 002's {@code POST /invoke/{ref}}), answered by this filter right after the API key check, without Spring MVC's
 * dispatch (handler mapping, argument resolution, message converters and the controller advice cost as much CPU as
 * the call's own work in the gateway). The body is the event: any JSON value, empty means {@code {}}, whatever
 * content type it is sent with. The hot path: the name and the event are checked once, the bytes go as they are to
 * the schedulers' intake queue on RabbitMQ ({@link InvocationIntake}), and the reply is mapped to HTTP
 * ({@link InvocationResponses}). A call with an {@code Idempotency-Key} header goes through
 * {@link IdempotentInvocations} first; one without it pays nothing for that. A per-call timeout ({@code ?timeout=},
 * or seed 004's {@code {"event": ..., "timeout": ...}} body on the seed route) is read by {@link CallTimeouts}. Every
 * other request goes on down the chain.
 */
final class InvokeFilter extends OncePerRequestFilter {

    static final String ROUTE = "/functions/{ref}/invoke";
    /** The same, as seed 002 writes it. */
    static final String SEED_ROUTE = "/invoke/{ref}";
    private static final String SEED_PREFIX = "/invoke/";
    private static final String PREFIX = "/functions/";
    private static final String SUFFIX = "/invoke";
    private static final Logger log = LoggerFactory.getLogger(InvokeFilter.class);

    private final InvocationIntake intake;
    private final InvocationReplies replies;
    private final JsonMapper json;
    private final long maxEventBytes;
    private final IdempotentInvocations idempotent;

    InvokeFilter(InvocationIntake intake, InvocationReplies replies, GatewayProperties properties, JsonMapper json,
                 IdempotentInvocations idempotent) {
        this.intake = intake;
        this.replies = replies;
        this.idempotent = idempotent;
        this.json = json;
        this.maxEventBytes = properties.maxEventSize().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String ref = reference(request);
        if (ref == null) {
            chain.doFilter(request, response);
            return;
        }
        String route = request.getRequestURI().startsWith(SEED_PREFIX, request.getContextPath().length())
                ? SEED_ROUTE : ROUTE;
        ServerHttpObservationFilter.findObservationContext(request).ifPresent(context -> context.setPathPattern(route));
        ResponseEntity<?> answer;
        try {
            answer = "POST".equals(request.getMethod()) ? invoke(ref, request, SEED_ROUTE.equals(route))
                    : methodNotAllowed(request);
        } catch (ProblemException e) {
            answer = ResponseEntity.status(e.problem().getStatus()).body(e.problem());
        } catch (InvalidParameterException e) { // the query string of a form-encoded event (see QueryStringCheck)
            answer = ResponseEntity.badRequest().body(QueryStringCheck.malformed().problem());
        } catch (RuntimeException e) {
            log.error("Unexpected error", e);
            answer = ResponseEntity.internalServerError().body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR,
                    ProblemTypes.PLATFORM_ERROR, "The gateway failed unexpectedly; the error is in its log."));
        }
        ServletAnswers.write(request, response, answer, json);
    }

    /**
     * The {@code ref} of a request to {@value #ROUTE} or to {@value #SEED_ROUTE} (any method), decoded, or null for
     * any other path.
     */
    static String reference(HttpServletRequest request) {
        String uri = request.getRequestURI();
        int context = request.getContextPath().length();
        int start;
        int end;
        if (uri.startsWith(SEED_PREFIX, context)) {
            start = context + SEED_PREFIX.length();
            end = uri.length();
        } else if (uri.startsWith(PREFIX, context) && uri.endsWith(SUFFIX)) {
            start = context + PREFIX.length();
            end = uri.length() - SUFFIX.length();
        } else {
            return null;
        }
        if (end <= start || uri.indexOf('/', start) >= 0 && uri.indexOf('/', start) != end) {
            return null;
        }
        String raw = uri.substring(start, end);
        try {
            return raw.indexOf('%') < 0 ? raw : UriUtils.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw; // not a valid name either way: the name check answers 400
        }
    }

    /** {@code ref}: {@code name} (latest version), {@code name:3} or {@code name:prod} (an alias). */
    private ResponseEntity<?> invoke(String name, HttpServletRequest request, boolean seedRoute) {
        long received = System.nanoTime();
        FunctionReferences.check(name);
        // read before any parameter: a form-encoded body (curl -d's default type) is then not taken for parameters
        byte[] body = RequestBodies.read(request, maxEventBytes, "the event");
        boolean async = isAsync(request);
        String callbackUrl = request.getParameter("callbackUrl");
        if (callbackUrl != null && !async) {
            throw Problems.invalidRequest("callbackUrl is only for asynchronous calls: add 'Prefer: respond-async'"
                    + " or ?async=true.");
        }
        byte[] checked = Events.checked(body, json);
        CallTimeouts.Call call = seedRoute ? CallTimeouts.seedEnvelope(checked, json) : null;
        byte[] event = call != null ? call.event() : checked;
        Long timeoutMs = CallTimeouts.query(request.getParameter(CallTimeouts.PARAMETER), call);
        // the call is recorded for the caller's key (an invoker reads only its own)
        UUID keyId = Caller.of(request).keyId();
        String callback = callbackUrl == null ? null : CallbackUrls.checked(callbackUrl);
        String idempotencyKey = request.getHeader(IdempotentInvocations.HEADER);
        if (idempotencyKey != null) {
            return idempotent.invoke(idempotencyKey, keyId, name, async, callback, event,
                    id -> run(id, name, event, keyId, async, callback, timeoutMs, received));
        }
        return run(InvocationIds.newId(), name, event, keyId, async, callback, timeoutMs, received);
    }

    /** Hands the call to the schedulers under invocation id {@code id} and maps the answer to HTTP. */
    private ResponseEntity<?> run(UUID id, String name, byte[] event, UUID keyId, boolean async, String callbackUrl,
                                  Long timeoutMs, long received) {
        if (async) {
            return accepted(intake.accept(id, name, event, keyId, callbackUrl, timeoutMs));
        }
        Message reply = intake.call(id, name, event, keyId, timeoutMs);
        if (InvocationReplies.isProblem(reply)) {
            return replies.problem(reply);
        }
        InvocationCompleted completed = replies.completed(reply);
        ResponseEntity<?> answer = InvocationResponses.toResponse(completed, json);
        // the platform's whole time for the call, cold start included (X-CloudFunc-Duration-Ms is the function's)
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(InvocationResponses.TOTAL_MS, Long.toString((System.nanoTime() - received) / 1_000_000))
                .body(answer.getBody());
    }

    /**
     * 202, {@code Location: /invocations/{id}} and {@code Preference-Applied: respond-async}, once the scheduler
     * has the call and its QUEUED record confirmed by RabbitMQ.
     */
    private ResponseEntity<?> accepted(Message reply) {
        if (InvocationReplies.isProblem(reply)) {
            return replies.problem(reply);
        }
        AsyncInvocationAccepted accepted;
        try {
            accepted = json.readValue(reply.getBody(), AsyncInvocationAccepted.class);
        } catch (JacksonException e) {
            throw InvocationReplies.unreadable(reply);
        }
        return ResponseEntity.accepted()
                .location(URI.create("/invocations/" + accepted.invocationId()))
                .header("Preference-Applied", "respond-async")
                .header(InvocationResponses.INVOCATION_ID, accepted.invocationId().toString())
                .contentType(MediaType.APPLICATION_JSON)
                .body(reply.getBody());
    }

    private static ResponseEntity<?> methodNotAllowed(HttpServletRequest request) {
        ProblemDetail problem = Problems.of(HttpStatus.METHOD_NOT_ALLOWED, ProblemTypes.METHOD_NOT_ALLOWED,
                "Method '" + request.getMethod() + "' is not supported here; invoke with POST.");
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED).header(HttpHeaders.ALLOW, "POST").body(problem);
    }

    /** {@code Prefer: respond-async} (RFC 7240, any of several preferences) or {@code ?async=true}. */
    static boolean isAsync(HttpServletRequest request) {
        String flag = request.getParameter("async");
        if (flag != null) {
            if (flag.equalsIgnoreCase("true")) {
                return true;
            }
            if (!flag.equalsIgnoreCase("false")) {
                throw Problems.invalidRequest("async must be true or false, not '" + flag + "'.");
            }
        }
        var prefer = request.getHeaders("Prefer");
        while (prefer != null && prefer.hasMoreElements()) {
            for (String preference : prefer.nextElement().split(",")) {
                String token = preference.split(";", 2)[0].strip();
                if (token.equalsIgnoreCase("respond-async")) {
                    return true;
                }
            }
        }
        return false;
    }
}

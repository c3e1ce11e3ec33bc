package io.cloudfunc.gateway.web;

import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every problem detail the gateway answers speaks of the public request, in one vocabulary: its {@code instance} is
 * the path the caller asked for, never the internal one of the registry, scheduler or container-manager whose
 * problem is relayed ({@code /internal/instances/...}), and its {@code title} is the one of its type
 * ({@link Problems#titleFor}), whatever a downstream service wrote. Problems the gateway makes itself get the same
 * treatment, so a problem of an error dispatch names the path that failed, not {@code /error}.
 * <p>
 * Only bodies sent as {@code application/problem+json} are looked at: a successful answer costs one media type
 * comparison. The filters that answer without Spring MVC (the API key check, the invoke route) get the same through
 * {@link ServletAnswers}.
 */
@ControllerAdvice
class PublicProblems implements ResponseBodyAdvice<Object> {

    private final JsonMapper json;

    PublicProblems(JsonMapper json) {
        this.json = json;
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
            Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
            ServerHttpResponse response) {
        if (body == null || !MediaType.APPLICATION_PROBLEM_JSON.isCompatibleWith(contentType)
                || !(request instanceof ServletServerHttpRequest servlet)) {
            return body;
        }
        String path = publicPath(servlet.getServletRequest());
        return switch (body) {
            case ProblemDetail problem -> {
                URI instance = uri(path);
                if (instance != null) {
                    problem.setInstance(instance);
                }
                retitle(problem);
                yield problem;
            }
            case byte[] bytes -> relayed(bytes, path, json);
            default -> body;
        };
    }

    /** A downstream service's problem, with the public path and the type's title. */
    static byte[] relayed(byte[] bytes, String path, JsonMapper json) {
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (JacksonException e) {
            return bytes; // not JSON after all: DownstreamService refuses such answers, nothing to rewrite
        }
        if (!(node instanceof ObjectNode problem)) {
            return bytes;
        }
        problem.put("instance", path);
        URI type = problem.path("type").isString() ? uri(problem.path("type").asString()) : null;
        String title = Problems.titleFor(type);
        if (title != null) {
            problem.put("title", title);
        } else if (problem.path("title").isString()) {
            problem.put("title", Problems.sentenceCase(problem.path("title").asString()));
        }
        return json.writeValueAsBytes(problem);
    }

    /** The title of the problem's type, whatever it had. */
    static void retitle(ProblemDetail problem) {
        String title = Problems.titleFor(problem.getType());
        problem.setTitle(title != null ? title : Problems.sentenceCase(problem.getTitle()));
    }

    private static URI uri(String text) {
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The path the caller asked for, also while an error dispatch renders its problem. */
    static String publicPath(HttpServletRequest request) {
        Object failed = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        return failed instanceof String uri ? uri : request.getRequestURI();
    }
}

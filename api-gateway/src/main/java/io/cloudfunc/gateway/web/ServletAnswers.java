package io.cloudfunc.gateway.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an answer straight to the servlet response, for the filters that answer without Spring MVC (the API key
 * and query string checks, the invoke route): a problem detail as the controllers' answers are rendered
 * ({@link PublicProblems}: {@code instance} = the public path, the type's title, its properties beside the standard
 * members), a relayed problem's bytes with the same two members rewritten, or any other body's bytes as they are.
 */
public final class ServletAnswers {

    private ServletAnswers() {
    }

    /** The answer's status, headers and body: a {@link ProblemDetail}, bytes, or nothing. */
    public static void write(HttpServletRequest request, HttpServletResponse response, ResponseEntity<?> answer,
            JsonMapper json) throws IOException {
        Object body = answer.getBody();
        if (body instanceof ProblemDetail problem) {
            write(request, response, problem, answer.getHeaders(), json);
            return;
        }
        response.setStatus(answer.getStatusCode().value());
        copy(answer.getHeaders(), response);
        MediaType type = answer.getHeaders().getContentType();
        if (body instanceof byte[] relayed && type != null
                && MediaType.APPLICATION_PROBLEM_JSON.isCompatibleWith(type)) {
            body = PublicProblems.relayed(relayed, PublicProblems.publicPath(request), json);
        }
        if (body instanceof byte[] bytes) {
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        } else if (body != null) {
            throw new IllegalArgumentException("Not a body this writer knows: " + body.getClass().getName());
        }
    }

    /** The problem as {@code application/problem+json}, with these headers beside it. */
    public static void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem,
            HttpHeaders headers, JsonMapper json) throws IOException {
        PublicProblems.retitle(problem);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", PublicProblems.publicPath(request));
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(problem.getStatus());
        copy(headers, response);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static void copy(HttpHeaders headers, HttpServletResponse response) {
        headers.forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
    }
}

package io.cloudfunc.gateway.invocation;

import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.support.problem.Problems;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answer of an HTTP function, as Lambda's function URLs read it: a result that is a JSON object with a numeric
 * {@code statusCode} is a response ({@code statusCode}, {@code headers}, {@code body}, {@code isBase64Encoded},
 * {@code cookies}); any other result is answered 200 with the result as JSON. A failed call is the invoke route's
 * problem detail ({@link InvocationResponses}). Headers a function may not set ({@link #DROPPED_HEADERS}: hop-by-hop,
 * the body's framing, the platform's own {@code X-CloudFunc-*}) are dropped, and so is a cookie for a path outside
 * the function's own {@code /fn/{name}}.
 */
final class FunctionUrlResponses {

    /** Response headers a function does not set: hop-by-hop (RFC 9110 7.6.1) and the body's framing. */
    static final Set<String> DROPPED_HEADERS = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
            "transfer-encoding", "upgrade", "proxy-authenticate", "content-length", "set-cookie");
    private static final String PLATFORM_PREFIX = "x-cloudfunc-";

    private FunctionUrlResponses() {
    }

    /**
     * @param basePath the function's own path, {@code /fn/{name}}: cookies for other paths are dropped
     */
    static ResponseEntity<?> toResponse(InvocationCompleted completed, String basePath, JsonMapper json) {
        ResponseEntity<?> answer = InvocationResponses.toResponse(completed, json);
        if (completed.status() != InvocationStatus.SUCCEEDED) {
            return answer;
        }
        JsonNode result = completed.result();
        if (result == null || !result.isObject() || !result.path("statusCode").isNumber()) {
            return answer; // a plain value: 200, JSON
        }
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(answer.getHeaders());
        headers.remove(HttpHeaders.CONTENT_TYPE);
        int status = result.path("statusCode").asInt();
        if (status < 100 || status > 599 || !result.path("statusCode").canConvertToExactIntegral()) {
            return invalid(completed, headers, "its statusCode " + result.path("statusCode") + " is not an HTTP status");
        }
        for (Map.Entry<String, JsonNode> header : result.path("headers").properties()) {
            String name = header.getKey();
            String lower = name.toLowerCase(Locale.ROOT);
            if (!isSettable(lower) || !header.getValue().isValueNode() || header.getValue().isNull()) {
                continue;
            }
            headers.set(name, header.getValue().asString());
        }
        for (JsonNode cookie : result.path("cookies")) {
            if (cookie.isString() && isForPath(cookie.asString(), basePath)) {
                headers.add(HttpHeaders.SET_COOKIE, cookie.asString());
            }
        }
        JsonNode body = result.path("body");
        byte[] bytes;
        if (body.isMissingNode() || body.isNull()) {
            bytes = new byte[0];
        } else if (!body.isString()) {
            bytes = json.writeValueAsBytes(body); // a structured body: as JSON
            headers.putIfAbsent(HttpHeaders.CONTENT_TYPE, java.util.List.of(MediaType.APPLICATION_JSON_VALUE));
        } else if (result.path("isBase64Encoded").asBoolean(false)) {
            try {
                bytes = Base64.getDecoder().decode(body.asString());
            } catch (IllegalArgumentException e) {
                return invalid(completed, headers, "its body is not valid base64 although isBase64Encoded is true");
            }
        } else {
            bytes = body.asString().getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > 0 && headers.getContentType() == null && !headers.containsHeader(HttpHeaders.CONTENT_TYPE)) {
            headers.setContentType(MediaType.APPLICATION_JSON); // Lambda's default
        }
        return ResponseEntity.status(status).headers(headers).body(bytes);
    }

    static boolean isSettable(String lowerName) {
        return !DROPPED_HEADERS.contains(lowerName) && !lowerName.startsWith(PLATFORM_PREFIX);
    }

    /**
     * A cookie without a {@code Path} attribute, or with one inside the function's own path: {@code /fn/{name}},
     * below it, or one of its versions or aliases ({@code /fn/{name}:prod}).
     */
    static boolean isForPath(String setCookie, String basePath) {
        for (String attribute : setCookie.split(";")) {
            String[] pair = attribute.strip().split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("path")) {
                String path = pair[1].strip();
                return path.equals(basePath) || path.startsWith(basePath + "/") || path.startsWith(basePath + ":");
            }
        }
        return true;
    }

    /** The function answered something that is not a response it may give: its fault, a 502. */
    private static ResponseEntity<ProblemDetail> invalid(InvocationCompleted completed, HttpHeaders headers,
            String why) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_GATEWAY, ProblemTypes.FUNCTION_ERROR,
                "Function '" + completed.functionName() + "' returned a response that cannot be sent: " + why + ".");
        problem.setProperty("invocationId", completed.invocationId());
        problem.setProperty("functionName", completed.functionName());
        problem.setProperty("version", completed.version());
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).headers(headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}

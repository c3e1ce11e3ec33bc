package io.cloudfunc.gateway.invocation;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The event of a call to an HTTP function ({@code /fn/{name}/...}): the whole request in the shape of AWS Lambda's
 * function URL payload, version 2.0, so that handlers written for it port as they are. Header names are lower case,
 * repeated headers and query parameters are joined with commas, cookies move from the {@code Cookie} header to
 * {@code cookies}; the body is text when it is UTF-8, else base64 with {@code isBase64Encoded: true}. The headers
 * that carry the caller's credentials for the platform ({@link #HIDDEN_HEADERS}) are never in it.
 */
final class FunctionUrlEvents {

    /** What the function must not see: the caller's API key (and the cookies, which are in {@code cookies}). */
    static final Set<String> HIDDEN_HEADERS = Set.of("authorization", "x-api-key", "proxy-authorization", "cookie");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private FunctionUrlEvents() {
    }

    /**
     * @param rawPath the path under the function, as sent ({@code /} for none)
     * @param body    the request body (empty for none)
     */
    static byte[] of(HttpServletRequest request, String rawPath, byte[] body, JsonMapper json) {
        Instant now = Instant.now();
        ObjectNode event = json.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", rawPath);
        String query = request.getQueryString();
        event.put("rawQueryString", query == null ? "" : query);
        List<String> cookies = cookies(request);
        if (!cookies.isEmpty()) {
            cookies.forEach(event.putArray("cookies")::add);
        }
        ObjectNode headers = event.putObject("headers");
        for (String name : Collections.list(request.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HIDDEN_HEADERS.contains(lower) && !headers.has(lower)) {
                headers.put(lower, String.join(",", Collections.list(request.getHeaders(name))));
            }
        }
        Map<String, String> parameters = queryParameters(query);
        if (!parameters.isEmpty()) {
            ObjectNode node = event.putObject("queryStringParameters");
            parameters.forEach(node::put);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "anonymous");
        context.put("domainName", request.getServerName());
        ObjectNode http = context.putObject("http");
        http.put("method", request.getMethod());
        http.put("path", rawPath);
        http.put("protocol", request.getProtocol());
        http.put("sourceIp", request.getRemoteAddr());
        String agent = request.getHeader("User-Agent");
        http.put("userAgent", agent == null ? "" : agent);
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("time", TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());
        if (body.length > 0) {
            String text = utf8(body);
            event.put("body", text != null ? text : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", text == null);
        } else {
            event.put("isBase64Encoded", false);
        }
        return json.writeValueAsBytes(event);
    }

    /** The body as text, or null when it is not valid UTF-8 (it then goes as base64). */
    static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static List<String> cookies(HttpServletRequest request) {
        List<String> cookies = new ArrayList<>();
        for (String header : Collections.list(request.getHeaders("Cookie"))) {
            for (String cookie : header.split(";")) {
                if (!cookie.isBlank()) {
                    cookies.add(cookie.strip());
                }
            }
        }
        return cookies;
    }

    /** The decoded query parameters in order, a repeated one joined with commas (as Lambda does). */
    static Map<String, String> queryParameters(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.merge(name, value, (first, next) -> first + "," + next);
        }
        return parameters;
    }

    private static String decode(String raw) {
        try {
            return UriUtils.decode(raw.replace('+', ' '), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }
}

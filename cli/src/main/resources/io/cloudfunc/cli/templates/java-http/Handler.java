import java.util.Map;

/**
 * An HTTP function: a request to /fn/__NAME__ (any path below it too) calls {@code Handler::handle} with the request
 * as the event (AWS Lambda's function URL payload 2.0, bound to a {@code Map}); a map with a statusCode is the
 * response.
 */
public class Handler {

    public static Map<String, Object> handle(Map<String, Object> event) {
        Object method = event.get("requestContext") instanceof Map<?, ?> context
                && context.get("http") instanceof Map<?, ?> http ? http.get("method") : null;
        if (!"GET".equals(method)) {
            return Map.of("statusCode", 405, "headers", Map.of("allow", "GET"),
                    "body", Map.of("error", method + " is not allowed"));
        }
        Object name = event.get("queryStringParameters") instanceof Map<?, ?> query ? query.get("name") : null;
        return Map.of("statusCode", 200, "headers", Map.of("content-type", "text/plain"),
                "body", "Hello " + (name == null ? "World" : name) + "!");
    }
}

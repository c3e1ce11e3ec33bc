import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A local test, no platform and no build tool needed: java HandlerTest.java (in this folder). The request is the
 * example's, GET /fn/__NAME__?name=Alice (request.json), as the runtime binds it.
 */
public class HandlerTest {

    public static void main(String[] args) {
        check(Handler.handle(request("GET", Map.of("name", "Alice"))),
                Map.of("statusCode", 200, "headers", Map.of("content-type", "text/plain"), "body", "Hello Alice!"));
        check(Handler.handle(request("GET", null)).get("body"), "Hello World!");
        check(Handler.handle(request("DELETE", null)).get("statusCode"), 405);
        System.out.println("3 tests passed");
    }

    private static Map<String, Object> request(String method, Map<String, String> query) {
        Map<String, Object> event = new HashMap<>();
        event.put("version", "2.0");
        event.put("rawPath", "/");
        event.put("requestContext", Map.of("http", Map.of("method", method, "path", "/")));
        if (query != null) {
            event.put("queryStringParameters", query);
        }
        return event;
    }

    private static void check(Object actual, Object expected) {
        if (!Objects.equals(actual, expected)) {
            throw new AssertionError("expected " + expected + " but got " + actual);
        }
    }
}

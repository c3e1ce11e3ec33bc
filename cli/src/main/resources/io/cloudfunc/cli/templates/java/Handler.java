import java.util.Map;

/** The function: the Java runtime calls {@code Handler::handle} once per invocation with the event (parsed JSON). */
public class Handler {

    public static Map<String, Object> handle(Map<String, Object> event) {
        Object name = event == null ? null : event.get("name");
        return Map.of("message", "Hello " + (name == null ? "World" : name) + "!");
    }
}

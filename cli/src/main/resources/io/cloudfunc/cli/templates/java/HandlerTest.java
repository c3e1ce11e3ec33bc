import java.util.Map;
import java.util.Objects;

/** A local test, no platform and no build tool needed: java HandlerTest.java (in this folder). */
public class HandlerTest {

    public static void main(String[] args) {
        check(Handler.handle(Map.of("name", "Alice")), Map.of("message", "Hello Alice!"));
        check(Handler.handle(Map.of()), Map.of("message", "Hello World!"));
        System.out.println("2 tests passed");
    }

    private static void check(Object actual, Object expected) {
        if (!Objects.equals(actual, expected)) {
            throw new AssertionError("expected " + expected + " but got " + actual);
        }
    }
}

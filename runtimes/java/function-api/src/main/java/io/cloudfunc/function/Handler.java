package io.cloudfunc.function;

/**
 * A CloudFunc Java function. Deploy a jar holding a public class implementing this interface (with a public
 * no-argument constructor) and name the class as the handler, e.g. {@code com.example.Hello}.
 * <p>
 * The runtime makes one instance per container and calls {@link #handle} once per invocation, so fields and static
 * state persist across warm calls. With the function's concurrency at 1 (the default) calls come one at a time; with
 * concurrency N > 1 up to N calls run at once, each on its own thread, on the same instance: the handler must then
 * be thread-safe (no unguarded mutable fields; concurrent collections, atomics or locks for shared state). The event is the invocation's JSON bound to {@code I}: a
 * record or bean, {@code Map<String, Object>}, {@code List<?>}, {@code String}, a number, or {@code Object} for the
 * JSON as maps, lists and scalars. The return value is written back as JSON ({@code null} for none).
 *
 * @param <I> the event type
 * @param <O> the result type
 */
@FunctionalInterface
public interface Handler<I, O> {

    /**
     * Handles one invocation. Throwing fails the invocation with the exception's simple class name, message and
     * the stack frames of the function's own classes; the container stays warm for the next call.
     */
    O handle(I event, Context context) throws Exception;
}

package io.cloudfunc.runtime;

import io.cloudfunc.function.Context;
import io.cloudfunc.function.Handler;
import java.util.List;
import java.util.Map;

/**
 * The function {@code --train} runs (see {@link Training}): a record event, a map result, printing, and an error
 * on request, so the recorded cache covers the paths real calls take. Public: it is loaded like a function's class.
 */
public final class TrainingFunction implements Handler<TrainingFunction.Event, Map<String, Object>> {

    public record Event(String name, int count, List<String> tags) {
    }

    @Override
    public Map<String, Object> handle(Event event, Context context) {
        if (event.count() < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        System.out.println("training call " + context.invocationId());
        return Map.of("greeting", "Hello " + event.name() + "!", "tags", event.tags(), "count", event.count(),
                "remaining", context.remainingTimeMs());
    }
}

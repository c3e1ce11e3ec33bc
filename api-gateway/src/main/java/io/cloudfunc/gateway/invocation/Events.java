package io.cloudfunc.gateway.invocation;

import io.cloudfunc.support.problem.JsonProblems;
import io.cloudfunc.support.problem.Problems;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks that an event is exactly one JSON value by streaming over its tokens: no tree is built, and the bytes are
 * forwarded as they came.
 */
final class Events {

    static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

    private Events() {
    }

    /** The event to forward: the body itself, or {@code {}} for an empty (or all-whitespace) body. */
    static byte[] checked(byte[] body, JsonMapper json) {
        if (body.length == 0) {
            return EMPTY_OBJECT;
        }
        try (JsonParser parser = json.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return EMPTY_OBJECT;
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw Problems.invalidRequest("The event must be a single JSON value; there is more after it.");
            }
            return body;
        } catch (JacksonException e) {
            throw Problems.invalidRequest("The event is not valid JSON: " + JsonProblems.reason(e) + ".");
        }
    }
}

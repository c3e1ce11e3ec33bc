package io.cloudfunc.gateway.invocation;

import io.cloudfunc.support.problem.Problems;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A call's own timeout, in seconds as seed 004 gives it: {@code ?timeout=} on either invoke route, or the
 * {@code timeout} of seed 004's body on its route ({@code POST /invoke/{name}} with exactly
 * {@code {"event": ..., "timeout": ...}}: the function then gets {@code event} alone). It travels to the node as
 * {@link io.cloudfunc.contracts.messaging.InvocationHeaders#TIMEOUT_MS}, which runs the call within the smaller of it
 * and the function's own {@code timeoutMs}: a call may shorten its function's timeout, never lengthen it.
 */
final class CallTimeouts {

    static final String PARAMETER = "timeout";
    private static final String EVENT = "event";
    private static final byte[] EVENT_KEY = "\"event\"".getBytes(StandardCharsets.UTF_8);

    /** Seed 004's body, taken apart: the event to forward and its timeout in milliseconds. */
    record Call(byte[] event, long timeoutMs) {
    }

    private CallTimeouts() {
    }

    /**
     * Seed 004's body: a JSON object whose keys are exactly {@code event} and {@code timeout}; null for any other
     * event (which is then forwarded whole). Its {@code timeout} must then be a positive number of seconds.
     *
     * @param event a checked event ({@link Events#checked}): one JSON value
     */
    static Call seedEnvelope(byte[] event, JsonMapper json) {
        if (!contains(event, EVENT_KEY)) {
            return null; // most bodies: no tree is built for them
        }
        JsonNode body;
        try {
            body = json.readTree(event);
        } catch (JacksonException e) {
            return null; // cannot happen for a checked event; forwarded as it is
        }
        if (!body.isObject() || body.size() != 2 || !body.has(EVENT) || !body.has(PARAMETER)) {
            return null;
        }
        JsonNode timeout = body.get(PARAMETER);
        if (!timeout.isNumber()) {
            throw notSeconds(timeout.toString());
        }
        return new Call(json.writeValueAsBytes(body.get(EVENT)), millis(timeout.asDouble(), timeout.toString()));
    }

    /**
     * The call's timeout in milliseconds: the smaller of {@code ?timeout=} and the body's, or null when neither is
     * given.
     */
    static Long query(String parameter, Call call) {
        Long fromQuery = null;
        if (parameter != null) {
            double seconds;
            try {
                seconds = Double.parseDouble(parameter.strip());
            } catch (NumberFormatException e) {
                throw notSeconds(parameter);
            }
            fromQuery = millis(seconds, parameter);
        }
        if (call == null) {
            return fromQuery;
        }
        return fromQuery == null ? call.timeoutMs() : Math.min(fromQuery, call.timeoutMs());
    }

    private static long millis(double seconds, String given) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw notSeconds(given);
        }
        return Math.max(1, (long) Math.min(Long.MAX_VALUE / 2, Math.ceil(seconds * 1000)));
    }

    private static RuntimeException notSeconds(String given) {
        String shown = given.length() > 40 ? given.substring(0, 40) + "..." : given;
        return Problems.invalidRequest("The call's timeout must be a positive number of seconds (for example 30),"
                + " not '" + shown + "'; it shortens the function's own timeout, never lengthens it.");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

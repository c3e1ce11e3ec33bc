package io.cloudfunc.contracts.messaging;

/**
 * AMQP headers of a gateway's {@value Topology#TYPE_INVOCATION_REQUEST} message, whose body is the event exactly as
 * the caller sent it (checked once, at the gateway). The scheduler copies them onto the {@link InvokeFunction} it
 * forwards to a node, so that the deadline reaches the container-manager.
 */
public final class InvocationHeaders {

    /** What to run: {@code name}, {@code name:version} or {@code name:alias}. */
    public static final String FUNCTION = "x-cloudfunc-function";
    /** {@code SYNC} (absent) or {@code ASYNC}. */
    public static final String MODE = "x-cloudfunc-mode";
    /** When the caller stops waiting (epoch milliseconds): a call not started by then is not run. SYNC only. */
    public static final String DEADLINE = "x-cloudfunc-deadline";
    /** When the platform accepted the call (epoch milliseconds). */
    public static final String ACCEPTED_AT = "x-cloudfunc-accepted-at";
    /** The API key the call was made with (a UUID), recorded on the invocation. */
    public static final String API_KEY_ID = "x-cloudfunc-api-key-id";
    /** ASYNC only: where the final record is POSTed. */
    public static final String CALLBACK_URL = "x-cloudfunc-callback-url";
    /**
     * The caller's own timeout for this call (milliseconds), or absent: the node runs the call within the smaller of
     * it and the function's {@code timeoutMs}.
     */
    public static final String TIMEOUT_MS = "x-cloudfunc-timeout-ms";

    private InvocationHeaders() {
    }

    /** The {@link #TIMEOUT_MS} of a message's headers: a positive number of milliseconds, or null. */
    public static Long timeoutMs(java.util.Map<String, Object> headers) {
        Long millis = epochMillis(headers.get(TIMEOUT_MS));
        return millis == null || millis <= 0 ? null : millis;
    }

    /** A header of epoch milliseconds ({@link #DEADLINE}, {@link #ACCEPTED_AT}) as a number, or null. */
    public static Long epochMillis(Object header) {
        if (header instanceof Number number) {
            return number.longValue();
        }
        try {
            return header == null ? null : Long.parseLong(header.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

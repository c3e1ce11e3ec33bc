package io.cloudfunc.contracts.auth;

/** Headers the services send each other behind the gateway (never accepted from outside: the gateway sets them). */
public final class InternalHeaders {

    /** The id of the API key that made a call, from the gateway to the scheduler, recorded on the invocation. */
    public static final String API_KEY_ID = "X-CloudFunc-Api-Key-Id";

    private InternalHeaders() {
    }
}

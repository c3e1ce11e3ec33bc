package io.cloudfunc.containers.isolation;

/** The engine cannot run a container the way the function asks (an OCI runtime not installed, no network). */
public final class IsolationUnavailableException extends Exception {

    private final String type;

    IsolationUnavailableException(String type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    /** Stable error type reported on the invocation, e.g. {@code OciRuntimeUnavailable}. */
    public String type() {
        return type;
    }
}

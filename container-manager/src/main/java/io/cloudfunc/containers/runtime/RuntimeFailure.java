package io.cloudfunc.containers.runtime;

/** The runtime did not give a usable answer; the connection (and its container) must not be used again. */
public final class RuntimeFailure extends Exception {

    public enum Kind {
        /** No answer within the allowed time. */
        TIMED_OUT,
        /** The connection ended: the runtime process exited or the container was killed. */
        CONNECTION_LOST,
        /** The answer is larger than the manager accepts. */
        FRAME_TOO_LARGE,
        /** The answer is not what the protocol says. */
        PROTOCOL,
        /**
         * A well-formed result for another invocation: the runtime echoes the id of the call it answers, so this
         * was written to the socket by something else in the container, i.e. the function's code.
         */
        FOREIGN_ANSWER
    }

    private final Kind kind;

    public RuntimeFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

package io.cloudfunc.containers.pool;

import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.StartType;

/**
 * No container could take the call: Docker failed, the runtime did not come up, the function's module failed to
 * load, or the manager is full or stopping. Carries the error to report and who is to blame.
 */
public final class NoContainerException extends Exception {

    private final FunctionError error;
    private final ErrorKind kind;
    private final StartType startType;

    /**
     * @param startType {@link StartType#COLD} when a container was started and reached (an init error), null when
     *                  none was
     */
    public NoContainerException(FunctionError error, ErrorKind kind, StartType startType, Throwable cause) {
        super(error.type() + ": " + error.message(), cause);
        this.error = error;
        this.kind = kind;
        this.startType = startType;
    }

    static NoContainerException platform(String type, String message, Throwable cause) {
        return new NoContainerException(FunctionError.of(type, message), ErrorKind.PLATFORM, null, cause);
    }

    public FunctionError error() {
        return error;
    }

    public ErrorKind kind() {
        return kind;
    }

    public StartType startType() {
        return startType;
    }
}

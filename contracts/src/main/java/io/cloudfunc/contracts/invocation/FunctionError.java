package io.cloudfunc.contracts.invocation;

import java.util.List;

/**
 * Why an invocation did not succeed. For an exception raised by the function: its type, message and the frames of
 * the user's own code. For a platform failure or a timeout: a type such as {@code TimeoutError} or
 * {@code PlatformError} and a message; {@code trace} is then empty.
 */
public record FunctionError(String type, String message, List<String> trace) {

    public FunctionError {
        trace = trace == null ? List.of() : List.copyOf(trace);
    }

    public static FunctionError of(String type, String message) {
        return new FunctionError(type, message, List.of());
    }
}

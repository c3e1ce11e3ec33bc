package io.cloudfunc.runtime;

/** An error of the function's code or configuration found by the runtime itself (bad handler, missing class). */
final class FunctionError extends Exception {

    private final String type;

    FunctionError(String type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    String type() {
        return type;
    }
}

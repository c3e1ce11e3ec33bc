package io.cloudfunc.contracts.function;

import io.cloudfunc.contracts.invocation.FunctionError;

/**
 * A container-manager's answer to a {@link CodeCheck}: the runtime loaded the code ({@code ready}), or said why it
 * could not ({@code error}: the runtime's own type, message and trace, e.g. {@code HandlerNotFound}, {@code
 * SyntaxError}).
 */
public record CodeCheckResult(boolean ready, FunctionError error) {

    public static CodeCheckResult loaded() {
        return new CodeCheckResult(true, null);
    }

    public static CodeCheckResult rejected(FunctionError error) {
        return new CodeCheckResult(false, error);
    }
}

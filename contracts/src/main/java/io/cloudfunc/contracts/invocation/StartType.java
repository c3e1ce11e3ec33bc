package io.cloudfunc.contracts.invocation;

import java.util.Locale;

/** How the container that served a call was obtained. */
public enum StartType {
    /** A new container was created and the code loaded into it. */
    COLD,
    /** A generic container started ahead of time took the function's code. */
    PREWARMED,
    /** An idle container of the same function version served the call. */
    WARM;

    /** Lower-case form used in headers and the CLI: cold, prewarmed, warm. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

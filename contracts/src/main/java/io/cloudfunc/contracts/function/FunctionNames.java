package io.cloudfunc.contracts.function;

import java.util.regex.Pattern;

/** The one rule for function names, shared by the gateway, the registry and the CLI. */
public final class FunctionNames {

    public static final int MAX_LENGTH = 63;
    /**
     * Lowercase letters, digits, dashes and underscores, starting with a letter or digit: {@code hello_fn} (seed 001's
     * own name) is valid. No dots or colons ({@code name:alias} is a reference) and nothing a path or a Docker
     * container name could not carry.
     */
    public static final Pattern PATTERN = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,62}$");
    public static final String RULE = "a function name is 1 to 63 lowercase letters, digits, dashes and underscores,"
            + " starting with a letter or digit";

    private FunctionNames() {
    }

    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }
}

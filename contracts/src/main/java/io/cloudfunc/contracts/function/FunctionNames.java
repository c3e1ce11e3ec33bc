package io.cloudfunc.contracts.function;

import java.util.regex.Pattern;

/** The one rule for function names, shared by the gateway, the registry and the CLI. */
public final class FunctionNames {

    public static final int MAX_LENGTH = 63;
    /** Lowercase letters, digits and dashes; starts with a letter or digit, does not end with a dash. */
    public static final Pattern PATTERN = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");
    public static final String RULE =
            "a function name is 1 to 63 lowercase letters, digits and dashes, starting and ending with a letter or digit";

    private FunctionNames() {
    }

    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }
}

package io.cloudfunc.contracts.function;

import java.util.regex.Pattern;

/**
 * What an invoke names: {@code name} (the latest version), {@code name:3} (version 3) or {@code name:prod} (the
 * version alias {@code prod} points to). Alias names start with a letter, so that they can never be read as a
 * version number; {@code latest} is reserved and always means the latest version.
 */
public final class FunctionRefs {

    public static final String LATEST = "latest";
    /** Lowercase letters, digits and dashes; starts with a letter, does not end with a dash; at most 63. */
    public static final Pattern ALIAS = Pattern.compile("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$");
    private static final Pattern VERSION = Pattern.compile("^[1-9][0-9]{0,8}$");
    public static final String ALIAS_RULE = "an alias is 1 to 63 lowercase letters, digits and dashes, starting with a"
            + " letter and not ending with a dash ('latest' is reserved)";
    public static final String REF_RULE = "a function reference is NAME, NAME:VERSION (a positive number) or "
            + "NAME:ALIAS";

    private FunctionRefs() {
    }

    public static boolean isValidAlias(String alias) {
        return alias != null && ALIAS.matcher(alias).matches() && !LATEST.equals(alias);
    }

    /** The parts of a reference, or null when it is malformed. */
    public static Ref parse(String ref) {
        if (ref == null) {
            return null;
        }
        int colon = ref.indexOf(':');
        String name = colon < 0 ? ref : ref.substring(0, colon);
        if (!FunctionNames.isValid(name)) {
            return null;
        }
        if (colon < 0) {
            return new Ref(name, LATEST);
        }
        String qualifier = ref.substring(colon + 1);
        if (VERSION.matcher(qualifier).matches() || LATEST.equals(qualifier)
                || ALIAS.matcher(qualifier).matches()) {
            return new Ref(name, qualifier);
        }
        return null;
    }

    /**
     * @param name      the function's name
     * @param qualifier a version number, an alias, or {@code latest}
     */
    public record Ref(String name, String qualifier) {

        public boolean isVersion() {
            return !qualifier.isEmpty() && Character.isDigit(qualifier.charAt(0));
        }

        @Override
        public String toString() {
            return LATEST.equals(qualifier) ? name : name + ":" + qualifier;
        }
    }
}

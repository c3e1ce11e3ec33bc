package io.cloudfunc.containers.registry;

/**
 * The registry's code for a version is not the code an invocation was sent for: the function was deleted and
 * deployed again after the call was accepted, and its version numbers started again at 1.
 */
public class FunctionReplacedException extends RuntimeException {

    public FunctionReplacedException(String functionName, int version, String expectedSha256, String actualSha256) {
        super("function " + functionName + " v" + version + " was replaced after the call was accepted: the call was"
                + " for code sha256 " + abbreviate(expectedSha256) + ", the registry now has "
                + abbreviate(actualSha256));
    }

    private static String abbreviate(String sha) {
        return sha == null ? "none" : sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}

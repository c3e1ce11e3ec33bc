package io.cloudfunc.containers.registry;

/** The registry has no such function version (never deployed, or deleted). */
public class FunctionNotFoundException extends RuntimeException {

    public FunctionNotFoundException(String functionName, int version) {
        super("function " + functionName + " has no version " + version);
    }
}

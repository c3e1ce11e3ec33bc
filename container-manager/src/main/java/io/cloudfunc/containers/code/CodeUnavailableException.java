package io.cloudfunc.containers.code;

/** A code archive cannot be used: its digest does not match, it is not a readable zip, or it breaks a limit. */
public class CodeUnavailableException extends RuntimeException {

    public CodeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

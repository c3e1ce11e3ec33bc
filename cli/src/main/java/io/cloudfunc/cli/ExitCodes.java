package io.cloudfunc.cli;

/** Exit codes of {@code cloudfunc}, listed in its --help and in the README. */
final class ExitCodes {

    static final int OK = 0;
    static final int UNEXPECTED = 1;
    static final int USAGE = 2;
    static final int NOT_FOUND = 3;
    static final int REJECTED = 4;
    static final int FUNCTION_ERROR = 5;
    static final int TIMEOUT = 6;
    static final int UNAVAILABLE = 7;
    static final int UNAUTHORIZED = 8;
    static final int FORBIDDEN = 9;
    static final int RATE_LIMITED = 10;

    private ExitCodes() {
    }

    /** The exit code for an HTTP error status answered by the gateway. */
    static int forStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 429 -> RATE_LIMITED;
            case 502 -> FUNCTION_ERROR;
            case 504 -> TIMEOUT;
            case 503, 500 -> UNAVAILABLE;
            default -> status >= 400 && status < 500 ? REJECTED : UNEXPECTED;
        };
    }
}

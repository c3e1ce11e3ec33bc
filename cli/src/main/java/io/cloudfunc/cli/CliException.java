package io.cloudfunc.cli;

/** A failure reported to the user as one line on stderr, with the given exit code. */
final class CliException extends RuntimeException {

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}

package io.cloudfunc.contracts.invocation;

/** Who is to blame for a failed invocation: the function's code, or the platform (container died, Docker error). */
public enum ErrorKind {
    FUNCTION, PLATFORM
}

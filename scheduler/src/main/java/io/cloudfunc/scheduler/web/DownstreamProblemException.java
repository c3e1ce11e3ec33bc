package io.cloudfunc.scheduler.web;

/**
 * A problem detail another service answered, to be passed to our caller unchanged (status and body), e.g. the
 * registry's 404 for an unknown function.
 */
public class DownstreamProblemException extends RuntimeException {

    private final int status;
    private final transient byte[] body;

    public DownstreamProblemException(int status, byte[] body) {
        super("downstream problem, HTTP " + status, null, false, false);
        this.status = status;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public byte[] body() {
        return body;
    }
}

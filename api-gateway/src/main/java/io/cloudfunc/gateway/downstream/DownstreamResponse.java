package io.cloudfunc.gateway.downstream;

/**
 * What a downstream service answered, as bytes.
 *
 * @param contentType the Content-Type header, or null
 */
public record DownstreamResponse(int status, String contentType, byte[] body) {

    public boolean isProblem() {
        return contentType != null && contentType.startsWith("application/problem+json");
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}

package io.cloudfunc.support.http;

import java.io.IOException;
import org.apache.hc.client5.http.classic.HttpClient;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * What another service answered, read whole into memory (the connection goes back to the pool at once).
 *
 * @param contentType the Content-Type header, or null
 */
public record BufferedResponse(int status, String contentType, byte[] body) {

    /** Sends the request and reads the whole answer; an I/O failure (timeout included) is the caller's to map. */
    public static BufferedResponse execute(HttpClient http, ClassicHttpRequest request) throws IOException {
        return http.execute(request, (ClassicHttpResponse response) -> {
            Header type = response.getFirstHeader(HttpHeaders.CONTENT_TYPE);
            byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
            return new BufferedResponse(response.getCode(), type == null ? null : type.getValue(), body);
        });
    }

    /** An RFC 9457 problem detail ({@code application/problem+json}). */
    public boolean isProblem() {
        return contentType != null && contentType.startsWith("application/problem+json");
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}

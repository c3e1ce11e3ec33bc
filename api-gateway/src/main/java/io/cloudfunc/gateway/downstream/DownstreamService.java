package io.cloudfunc.gateway.downstream;

import io.cloudfunc.support.http.BufferedResponse;
import io.cloudfunc.support.problem.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpDelete;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One service behind the gateway. Sends requests on the shared connection pool and relays answers: successes and
 * problem details pass through unchanged (status and body); a service that cannot be reached, or answers an error
 * that is not a problem detail, becomes a 503 platform problem naming it.
 */
public class DownstreamService {

    private static final Logger log = LoggerFactory.getLogger(DownstreamService.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ACCEPT = "application/json, application/problem+json";

    private final String name;
    private final String base;
    private final CloseableHttpClient http;
    private final RequestConfig config;
    private final Duration timeout;

    protected DownstreamService(String name, String base, CloseableHttpClient http, Duration timeout) {
        this.name = name;
        this.base = base.replaceAll("/+$", "");
        this.http = http;
        this.timeout = timeout;
        this.config = RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build();
    }

    public String name() {
        return name;
    }

    public BufferedResponse get(String path) {
        return send(new HttpGet(base + path));
    }

    /** A GET that may take at most {@code timeout} (a health check), not the service's usual response timeout. */
    public BufferedResponse get(String path, Duration timeout) {
        var get = new HttpGet(base + path);
        get.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build());
        return send(get);
    }

    public BufferedResponse delete(String path) {
        return send(new HttpDelete(base + path));
    }

    public BufferedResponse post(String path, String contentType, byte[] body) {
        return post(path, contentType, body, Map.of());
    }

    /** With extra request headers, e.g. the caller's key id for the scheduler. */
    public BufferedResponse post(String path, String contentType, byte[] body, Map<String, String> headers) {
        var post = new HttpPost(base + path);
        post.setEntity(new ByteArrayEntity(body, ContentType.parse(contentType)));
        headers.forEach(post::setHeader);
        return send(post);
    }

    public BufferedResponse put(String path, String contentType, byte[] body) {
        var put = new HttpPut(base + path);
        put.setEntity(new ByteArrayEntity(body, ContentType.parse(contentType)));
        return send(put);
    }

    /** Streams {@code length} bytes from {@code body}, e.g. an upload sitting in a temporary file. */
    public BufferedResponse post(String path, String contentType, InputStream body, long length) {
        var post = new HttpPost(base + path);
        post.setEntity(new InputStreamEntity(body, length, ContentType.parse(contentType)));
        return send(post);
    }

    /** Streams {@code length} bytes from {@code body} as a PUT. */
    public BufferedResponse put(String path, String contentType, InputStream body, long length) {
        var put = new HttpPut(base + path);
        put.setEntity(new InputStreamEntity(body, length, ContentType.parse(contentType)));
        return send(put);
    }

    /** The answer as the caller should see it. */
    public ResponseEntity<byte[]> relay(BufferedResponse response) {
        if (response.status() < 400 || response.isProblem()) {
            var builder = ResponseEntity.status(response.status());
            if (response.contentType() != null && response.body().length > 0) {
                builder.header(HttpHeaders.CONTENT_TYPE, response.contentType());
            }
            return builder.body(response.body().length > 0 ? response.body() : null);
        }
        throw unexpected(response);
    }

    /**
     * {@link #relay} of a create whose answer names what it made ({@code "name"}, as a schedule's or a trigger's
     * does): a 201 gets {@code Location} {@code collection/name}, the public path in place of the service's internal
     * one; any other answer is relayed as it is.
     */
    public ResponseEntity<byte[]> relayCreated(BufferedResponse response, String collection) {
        ResponseEntity<byte[]> relayed = relay(response);
        if (response.status() != 201) {
            return relayed;
        }
        JsonNode name;
        try {
            name = JSON.readTree(response.body()).path("name");
        } catch (JacksonException e) {
            return relayed;
        }
        return name.isString() ? ResponseEntity.status(201).headers(relayed.getHeaders())
                .location(URI.create(collection + "/" + name.asString())).body(relayed.getBody()) : relayed;
    }

    /** For an answer the gateway cannot make sense of. */
    public RuntimeException unexpected(BufferedResponse response) {
        log.warn("The {} answered HTTP {} ({})", name, response.status(), response.contentType());
        return Problems.platformError(name, "The " + name + " answered unexpectedly (HTTP " + response.status() + ").");
    }

    private BufferedResponse send(HttpUriRequestBase request) {
        if (request.getConfig() == null) {
            request.setConfig(config);
        }
        request.setHeader(HttpHeaders.ACCEPT, ACCEPT);
        try {
            return BufferedResponse.execute(http, request);
        } catch (SocketTimeoutException e) {
            log.warn("The {} did not answer {} {} within {}", name, request.getMethod(), request.getRequestUri(),
                    timeout);
            throw Problems.platformError(name, "The " + name + " did not answer in time.");
        } catch (IOException e) {
            log.warn("Calling the {} ({} {}) failed: {}", name, request.getMethod(), request.getRequestUri(),
                    e.toString());
            throw Problems.platformError(name, "The " + name + " is unavailable.");
        }
    }
}

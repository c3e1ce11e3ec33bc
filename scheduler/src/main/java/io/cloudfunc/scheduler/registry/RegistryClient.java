package io.cloudfunc.scheduler.registry;

import io.cloudfunc.contracts.function.FunctionView;
import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.scheduler.SchedulerProperties;
import io.cloudfunc.scheduler.web.DownstreamProblemException;
import io.cloudfunc.scheduler.web.Problems;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry calls the scheduler makes: resolve a function, record an accepted invocation. Blocking HTTP/1.1 on a
 * pool of kept-alive connections (TCP_NODELAY): on a virtual thread one call is one write and one read, which
 * matters because the record insert is on every invocation's path.
 */
@Component
public class RegistryClient implements AutoCloseable {

    static final String SERVICE = "function-registry";

    private static final Logger log = LoggerFactory.getLogger(RegistryClient.class);

    private final CloseableHttpClient http;
    private final String functions;
    private final URI invocations;
    private final JsonMapper json;

    RegistryClient(SchedulerProperties properties, JsonMapper json) {
        Timeout timeout = Timeout.of(properties.registryTimeout());
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(512)
                .setMaxConnPerRoute(512)
                .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).setSoTimeout(timeout).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(properties.connectTimeout()))
                        .setSocketTimeout(timeout)
                        // A connection idle for a while may have been closed by the registry: check before reuse.
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .build())
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(timeout)
                        .setConnectionRequestTimeout(timeout)
                        .build())
                .evictIdleConnections(TimeValue.ofSeconds(20))
                .disableCookieManagement()
                .disableRedirectHandling()
                .disableAuthCaching()
                .build();
        String root = properties.registryUrl().toString().replaceAll("/+$", "");
        this.functions = root + "/internal/functions/";
        this.invocations = URI.create(root + "/internal/invocations");
        this.json = json;
    }

    /** The function with its latest version; the registry's 404 problem is passed through. */
    public FunctionView function(String name) {
        Reply reply = send(new HttpGet(functions + name));
        if (reply.status() == 200) {
            return json.readValue(reply.body(), FunctionView.class);
        }
        throw failure(reply);
    }

    /** Records the invocation as QUEUED before it is published. */
    public void createInvocation(CreateInvocation invocation) {
        var post = new HttpPost(invocations);
        post.setEntity(new ByteArrayEntity(json.writeValueAsBytes(invocation), ContentType.APPLICATION_JSON));
        Reply reply = send(post);
        if (reply.status() / 100 != 2) {
            throw failure(reply);
        }
    }

    private record Reply(int status, String contentType, byte[] body) {
    }

    private Reply send(HttpUriRequestBase request) {
        request.setHeader(HttpHeaders.ACCEPT, "application/json, application/problem+json");
        try {
            return http.execute(request, (ClassicHttpResponse response) -> {
                Header type = response.getFirstHeader(HttpHeaders.CONTENT_TYPE);
                byte[] body = response.getEntity() == null
                        ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
                return new Reply(response.getCode(), type == null ? null : type.getValue(), body);
            });
        } catch (SocketTimeoutException e) {
            log.warn("The function-registry did not answer {} {} in time", request.getMethod(),
                    request.getRequestUri());
            throw Problems.platformError(SERVICE, "The function-registry did not answer in time.");
        } catch (IOException e) {
            log.warn("Calling the function-registry ({} {}) failed: {}", request.getMethod(), request.getRequestUri(),
                    e.toString());
            throw Problems.platformError(SERVICE, "The function-registry could not be reached.");
        }
    }

    /** 4xx problems are the caller's business and pass through; anything else means the registry is unwell. */
    private static RuntimeException failure(Reply reply) {
        boolean problem = reply.contentType() != null && reply.contentType().startsWith("application/problem+json");
        if (reply.status() >= 400 && reply.status() < 500 && problem) {
            return new DownstreamProblemException(reply.status(), reply.body());
        }
        log.warn("The function-registry answered HTTP {} ({})", reply.status(), reply.contentType());
        return Problems.platformError(SERVICE, "The function-registry answered HTTP " + reply.status() + ".");
    }

    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
    }
}

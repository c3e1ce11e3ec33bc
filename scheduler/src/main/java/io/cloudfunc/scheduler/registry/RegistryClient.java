package io.cloudfunc.scheduler.registry;

import io.cloudfunc.contracts.function.AliasView;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.node.SeenNode;
import io.cloudfunc.contracts.schedule.ScheduleTicks;
import io.cloudfunc.scheduler.SchedulerProperties;
import io.cloudfunc.scheduler.web.DownstreamProblemException;
import io.cloudfunc.support.http.BufferedResponse;
import io.cloudfunc.support.http.PooledHttpClientSettings;
import io.cloudfunc.support.http.PooledHttpClients;
import io.cloudfunc.support.problem.Problems;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry calls the scheduler makes: resolve a function (and an alias's weights), record an accepted invocation (and, when the broker
 * did not take it, its failure). Blocking HTTP/1.1 on a
 * pool of kept-alive connections ({@link PooledHttpClients}): on a virtual thread one call is one write and one read,
 * which matters because the record insert is on every invocation's path.
 */
@Component
public class RegistryClient implements AutoCloseable {

    static final String SERVICE = "function-registry";

    private static final Logger log = LoggerFactory.getLogger(RegistryClient.class);

    private final CloseableHttpClient http;
    private final String functions;
    private final URI invocations;
    private final String schedules;
    private final JsonMapper json;

    RegistryClient(SchedulerProperties properties, JsonMapper json) {
        this.http = PooledHttpClients.create(new PooledHttpClientSettings(512, 512, properties.connectTimeout(),
                properties.registryTimeout(), properties.registryTimeout(), Duration.ofSeconds(20), true));
        String root = properties.registryUrl().toString().replaceAll("/+$", "");
        this.functions = root + "/internal/functions/";
        this.invocations = URI.create(root + "/internal/invocations");
        this.schedules = root + "/internal/schedule-ticks/claims";
        this.json = json;
    }

    /**
     * The version a qualifier names (a number, an alias or {@code latest}); the registry's 404 problems (function,
     * version or alias unknown) are passed through.
     */
    public FunctionVersionView version(String name, String qualifier) {
        BufferedResponse reply = send(new HttpGet(functions + name + "/versions/" + qualifier));
        if (reply.status() == 200) {
            return json.readValue(reply.body(), FunctionVersionView.class);
        }
        throw failure(reply);
    }

    /** An alias with its weights ({@code GET /internal/functions/{name}/aliases/{alias}}); 404 problems pass through. */
    public AliasView alias(String name, String alias) {
        BufferedResponse reply = send(new HttpGet(functions + name + "/aliases/" + alias));
        if (reply.status() == 200) {
            return json.readValue(reply.body(), AliasView.class);
        }
        throw failure(reply);
    }

    /** Records many accepted invocations as QUEUED in one request ({@code POST /internal/invocations/batch}). */
    public void createInvocations(java.util.List<CreateInvocation> batch) {
        var post = new HttpPost(invocations + "/batch");
        post.setEntity(new ByteArrayEntity(json.writeValueAsBytes(batch), ContentType.APPLICATION_JSON));
        BufferedResponse reply = send(post);
        if (reply.status() / 100 != 2) {
            throw failure(reply);
        }
    }

    /** The invocation record as JSON ({@code GET /internal/invocations/{id}}). */
    public byte[] invocationJson(java.util.UUID id) {
        BufferedResponse reply = send(new HttpGet(invocations + "/" + id));
        if (reply.status() == 200) {
            return reply.body();
        }
        throw failure(reply);
    }

    /** Records the final state of an invocation ({@code PUT /internal/invocations/{id}}; idempotent). */
    public void complete(InvocationCompleted completed) {
        var put = new HttpPut(invocations + "/" + completed.invocationId());
        put.setEntity(new ByteArrayEntity(json.writeValueAsBytes(completed), ContentType.APPLICATION_JSON));
        BufferedResponse reply = send(put);
        if (reply.status() / 100 != 2) {
            throw failure(reply);
        }
    }

    /**
     * Claims the due ticks of schedules ({@code POST /internal/schedule-ticks/claims}): each tick is given to one
     * claimant only.
     */
    public ScheduleTicks claimScheduleTicks(int limit) {
        BufferedResponse reply = send(new HttpPost(schedules + "?limit=" + limit));
        if (reply.status() == 200) {
            return json.readValue(reply.body(), ScheduleTicks.class);
        }
        throw failure(reply);
    }

    /** Every queue trigger, URLs decrypted ({@code GET /internal/triggers}). */
    public java.util.List<io.cloudfunc.contracts.trigger.TriggerDefinition> triggers() {
        BufferedResponse reply = send(new HttpGet(functions.replace("/internal/functions/", "/internal/triggers")));
        if (reply.status() == 200) {
            return java.util.List.of(json.readValue(reply.body(),
                    io.cloudfunc.contracts.trigger.TriggerDefinition[].class));
        }
        throw failure(reply);
    }

    /** Adds this scheduler's trigger counts to the registry's totals ({@code POST /internal/triggers/counts}). */
    public void reportTriggerCounts(java.util.List<io.cloudfunc.contracts.trigger.TriggerCounts> counts) {
        var post = new HttpPost(functions.replace("/internal/functions/", "/internal/triggers/counts"));
        post.setEntity(new ByteArrayEntity(json.writeValueAsBytes(counts), ContentType.APPLICATION_JSON));
        BufferedResponse reply = send(post);
        if (reply.status() / 100 != 2) {
            throw failure(reply);
        }
    }

    /** The nodes with a sample since {@code since}, each with its latest ({@code GET /internal/nodes/seen}). */
    public java.util.List<SeenNode> seenNodes(Instant since) {
        BufferedResponse reply = send(new HttpGet(functions.replace("/internal/functions/", "/internal/nodes/seen")
                + "?since=" + since));
        if (reply.status() == 200) {
            return java.util.List.of(json.readValue(reply.body(), SeenNode[].class));
        }
        throw failure(reply);
    }

    private BufferedResponse send(HttpUriRequestBase request) {
        request.setHeader(HttpHeaders.ACCEPT, "application/json, application/problem+json");
        try {
            return BufferedResponse.execute(http, request);
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
    private static RuntimeException failure(BufferedResponse reply) {
        if (reply.status() >= 400 && reply.status() < 500 && reply.isProblem()) {
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

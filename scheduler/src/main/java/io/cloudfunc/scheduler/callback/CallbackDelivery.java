package io.cloudfunc.scheduler.callback;

import com.rabbitmq.client.Channel;
import io.cloudfunc.contracts.messaging.CallbackRequested;
import io.cloudfunc.scheduler.SchedulerProperties;
import io.cloudfunc.scheduler.registry.RegistryClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers one {@link CallbackRequested}: reads the invocation's final record from the registry and POSTs it (the
 * same JSON as {@code GET /invocations/{id}}) to the callback URL. Up to {@code scheduler.callbacks.attempts} tries
 * with a doubling pause; a 2xx answer ends them; after the last the callback is given up (logged and counted). The
 * message is acknowledged only when its delivery has ended, so a scheduler that dies mid-delivery leaves it to another
 * one (or to itself after a restart): a callback may, rarely, arrive twice. Each delivery runs on a virtual thread of
 * its own, so a receiver that answers slowly (or not at all, until the timeout) holds up only its own callbacks. Callbacks go out from the platform's own
 * network: the URL is the caller's choice (see docs/api.md on what that allows).
 */
@Component
class CallbackDelivery implements ChannelAwareMessageListener, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CallbackDelivery.class);

    private final RegistryClient registry;
    private final JsonMapper json;
    private final HttpClient http;
    private final SchedulerProperties.Callbacks settings;
    private final Counter delivered;
    private final Counter abandoned;

    CallbackDelivery(RegistryClient registry, JsonMapper json, SchedulerProperties properties, MeterRegistry meters) {
        this.registry = registry;
        this.json = json;
        this.settings = properties.callbacks();
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.delivered = Counter.builder("cloudfunc.scheduler.callbacks").tag("outcome", "delivered")
                .description("Callbacks of asynchronous invocations, by outcome").register(meters);
        this.abandoned = Counter.builder("cloudfunc.scheduler.callbacks").tag("outcome", "abandoned")
                .description("Callbacks of asynchronous invocations, by outcome").register(meters);
    }

    private static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT");
    private static final Duration FINAL_RECORD_WAIT = Duration.ofSeconds(30);

    /** Deliveries under way, interrupted when the scheduler stops (their messages go back to the queue). */
    private final Set<Thread> inFlight = ConcurrentHashMap.newKeySet();

    @Override
    public void onMessage(Message message, Channel channel) {
        long tag = message.getMessageProperties().getDeliveryTag();
        Thread.ofVirtual().name("callback-" + tag).start(() -> {
            inFlight.add(Thread.currentThread());
            boolean done = false;
            try {
                deliver(message);
                done = true;
            } catch (ImmediateRequeueAmqpException e) {
                log.info("Callback delivery stopped: {}; back to the queue", e.getMessage());
            } catch (RuntimeException e) {
                log.warn("Callback delivery failed; dropped", e);
                done = true;
            } finally {
                inFlight.remove(Thread.currentThread());
                settle(channel, tag, done);
            }
        });
    }

    /** Acks a delivery that has ended, or hands an interrupted one back to the queue. */
    private static void settle(Channel channel, long tag, boolean done) {
        try {
            if (done) {
                channel.basicAck(tag, false);
            } else {
                channel.basicNack(tag, false, true);
            }
        } catch (IOException | RuntimeException e) {
            // the channel closed (stopping): the broker redelivers what was not acked
            log.debug("Could not settle callback message {}: {}", tag, e.toString());
        }
    }

    @Override
    public void destroy() {
        inFlight.forEach(Thread::interrupt);
    }

    void deliver(Message message) {
        CallbackRequested request;
        try {
            request = json.readValue(message.getBody(), CallbackRequested.class);
        } catch (JacksonException e) {
            log.warn("Dropping an unreadable callback message: {}", e.getOriginalMessage());
            return;
        }
        URI target = target(request);
        if (target == null) {
            log.warn("Dropping callback of invocation {}: '{}' is not an http(s) URL", request.invocationId(),
                    request.callbackUrl());
            return;
        }
        awaitFinalRecord(request);
        Duration pause = settings.backoff();
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            String failure = tryOnce(request, target);
            if (failure == null) {
                delivered.increment();
                return;
            }
            log.info("Callback {} of invocation {} failed (try {} of {}): {}", target, request.invocationId(),
                    attempt, settings.attempts(), failure);
            if (attempt < settings.attempts()) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    // shutting down: back to the queue for the next scheduler
                    throw new ImmediateRequeueAmqpException("callback interrupted by shutdown");
                }
                pause = pause.multipliedBy(2);
            }
        }
        abandoned.increment();
        log.warn("Gave up the callback of invocation {} to {} after {} tries", request.invocationId(), target,
                settings.attempts());
    }

    /**
     * The node asks for the callback once the broker has its final record, which the registry may not have committed
     * yet: the callback waits (a bounded while) until the record is final, so that it carries the outcome. A record
     * still not final then sends the message back to the queue for a later try.
     */
    private void awaitFinalRecord(CallbackRequested request) {
        long deadline = System.nanoTime() + FINAL_RECORD_WAIT.toNanos();
        long pauseMs = 20;
        while (true) {
            try {
                String status = json.readTree(registry.invocationJson(request.invocationId())).path("status")
                        .asString("");
                if (FINAL.contains(status)) {
                    return;
                }
            } catch (RuntimeException e) {
                log.debug("Reading the record of {} failed: {}", request.invocationId(), e.getMessage());
            }
            if (System.nanoTime() > deadline) {
                throw new ImmediateRequeueAmqpException("the record of " + request.invocationId()
                        + " is not final yet");
            }
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ImmediateRequeueAmqpException("callback interrupted by shutdown");
            }
            pauseMs = Math.min(pauseMs * 2, 1_000);
        }
    }

    /** One try; null when the receiver answered 2xx, else why not. */
    private String tryOnce(CallbackRequested request, URI target) {
        byte[] record;
        try {
            record = registry.invocationJson(request.invocationId());
        } catch (RuntimeException e) {
            return "the invocation record could not be read: " + e.getMessage();
        }
        HttpRequest post = HttpRequest.newBuilder(target)
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "CloudFunc-Callback")
                .header("X-CloudFunc-Invocation-Id", request.invocationId().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(record))
                .build();
        try {
            HttpResponse<Void> answer = http.send(post, HttpResponse.BodyHandlers.discarding());
            return answer.statusCode() / 100 == 2 ? null : "HTTP " + answer.statusCode();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImmediateRequeueAmqpException("callback interrupted by shutdown");
        }
    }

    private static URI target(CallbackRequested request) {
        if (request.callbackUrl() == null) {
            return null;
        }
        try {
            URI uri = URI.create(request.callbackUrl());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null ? uri : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

package io.cloudfunc.scheduler.trigger;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A NATS subject. When a JetStream stream captures it: a durable push consumer shared by every scheduler (queue
 * group {@code cloudfunc}), explicit acks, at most the trigger's concurrency unacknowledged: at least once. Otherwise
 * a plain queue subscription (group {@code cloudfunc}), which core NATS delivers at most once (a message in flight
 * when a scheduler dies is lost: put the subject in a stream to keep it). The reply goes to the message's reply
 * subject (core NATS), or to its {@code Reply-To} header (JetStream, which answers the reply subject itself).
 */
final class NatsTriggerSource implements TriggerSource {

    private static final String GROUP = "cloudfunc";

    private final String url;
    private final String subject;
    private final String durable;
    private final int concurrency;
    private final Duration ackWait;
    private Connection connection;
    private JetStreamSubscription jetStream;

    NatsTriggerSource(String url, String subject, String durable, int concurrency, Duration ackWait) {
        this.url = url;
        this.subject = subject;
        this.durable = durable;
        this.concurrency = concurrency;
        this.ackWait = ackWait;
    }

    @Override
    public void start(Consumer<TriggerMessage> handler) throws Exception {
        connection = Nats.connect(new Options.Builder().server(url).connectionName("cloudfunc-trigger")
                .maxReconnects(-1).build());
        Dispatcher dispatcher = connection.createDispatcher();
        JetStreamManagement management = connection.jetStreamManagement();
        List<String> streams;
        try {
            streams = management.getStreamNames(subject);
        } catch (Exception noJetStream) {
            streams = List.of();
        }
        if (streams.isEmpty()) {
            dispatcher.subscribe(subject, GROUP, message -> handler.accept(core(message)));
            return;
        }
        JetStream js = connection.jetStream();
        ConsumerConfiguration consumer = ConsumerConfiguration.builder().durable(durable).deliverGroup(GROUP)
                .ackPolicy(AckPolicy.Explicit).ackWait(ackWait).maxAckPending(concurrency).filterSubject(subject)
                .build();
        jetStream = js.subscribe(subject, GROUP, dispatcher, message -> handler.accept(stored(message)), false,
                PushSubscribeOptions.builder().stream(streams.getFirst()).configuration(consumer).build());
    }

    private TriggerMessage core(Message message) {
        return new TriggerMessage(message.getData(), header(message, "Content-Type"), headers(message),
                message.getReplyTo(), null, new TriggerMessage.Settle() {
                    @Override
                    public void ack() {
                    }

                    @Override
                    public void requeue() {
                    }
                });
    }

    private TriggerMessage stored(Message message) {
        return new TriggerMessage(message.getData(), header(message, "Content-Type"), headers(message),
                header(message, "Reply-To"), null, new TriggerMessage.Settle() {
                    @Override
                    public void ack() {
                        message.ack();
                    }

                    @Override
                    public void requeue() {
                        message.nak();
                    }
                });
    }

    private static String header(Message message, String name) {
        return message.hasHeaders() ? message.getHeaders().getFirst(name) : null;
    }

    private static Map<String, String> headers(Message message) {
        Map<String, String> headers = new HashMap<>();
        if (message.hasHeaders()) {
            message.getHeaders().entrySet().forEach(e -> headers.put(e.getKey(), String.join(",", e.getValue())));
        }
        return headers;
    }

    @Override
    public void deadLetter(String destination, TriggerMessage message, String error) throws Exception {
        Headers headers = new Headers();
        message.headers().forEach(headers::add);
        headers.put("X-CloudFunc-Error", error.replaceAll("[\\r\\n]+", " "));
        var out = NatsMessage.builder().subject(destination).headers(headers).data(message.body()).build();
        if (jetStream != null && !connection.jetStreamManagement().getStreamNames(destination).isEmpty()) {
            connection.jetStream().publish(out); // waits for the stream's ack
        } else {
            connection.publish(out);
            connection.flush(Duration.ofSeconds(5));
        }
    }

    @Override
    public void reply(TriggerMessage message, byte[] body, boolean failed) throws Exception {
        Headers headers = new Headers().put("X-CloudFunc-Status", failed ? "FAILED" : "SUCCEEDED");
        connection.publish(NatsMessage.builder().subject(message.replyTo()).headers(headers).data(body).build());
        connection.flush(Duration.ofSeconds(5));
    }

    @Override
    public long waiting() {
        if (jetStream == null) {
            return -1;
        }
        try {
            return jetStream.getConsumerInfo().getNumPending();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Deletes the durable consumer every scheduler shared. */
    @Override
    public void forget() {
        if (jetStream == null) {
            return;
        }
        try (Connection cleanup = Nats.connect(new Options.Builder().server(url).build())) {
            String stream = cleanup.jetStreamManagement().getStreamNames(subject).getFirst();
            cleanup.jetStreamManagement().deleteConsumer(stream, durable);
        } catch (Exception e) {
            // already gone (another scheduler deleted it)
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

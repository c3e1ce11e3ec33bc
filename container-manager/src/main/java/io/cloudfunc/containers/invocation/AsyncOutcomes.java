package io.cloudfunc.containers.invocation;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.registry.RegistryClient;
import io.cloudfunc.support.messaging.ConfirmedPublisher;
import io.cloudfunc.support.messaging.RecordPublisher;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.RetryScheduled;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.contracts.messaging.CallbackRequested;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.support.messaging.InvocationTopology;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * What happens after an ASYNC attempt: the retry policies (a platform failure runs again up to
 * {@code containers.consumer.platform-retries} times; a function's own failure by its version's {@code maxRetries},
 * {@code retryBackoffMs} doubled per attempt), scheduling the next attempt through a durable delay queue, and asking
 * for the callback. Both publishes wait for the broker's confirm, and the listener acks the invocation's message only
 * after them: a crash in between redelivers it, so neither the retry nor the callback is lost (at least once).
 */
@Component
class AsyncOutcomes {


    private final RegistryClient registry;
    private final RecordPublisher records;
    private final ConfirmedPublisher publisher;
    private final AmqpAdmin admin;
    private final InvocationTopology topology;
    private final JsonMapper json;
    private final Clock clock;
    private final int platformRetries;
    private final Duration platformRetryDelay;

    AsyncOutcomes(RegistryClient registry, RecordPublisher records, ConfirmedPublisher publisher, AmqpAdmin admin,
                  InvocationTopology topology, JsonMapper json, Clock clock, ContainerManagerProperties properties) {
        this.records = records;
        this.publisher = publisher;
        this.registry = registry;
        this.admin = admin;
        this.topology = topology;
        this.json = json;
        this.clock = clock;
        this.platformRetries = properties.consumer().platformRetries();
        this.platformRetryDelay = properties.consumer().platformRetryDelay();
    }

    /** The run that follows a failed ASYNC attempt, and the wait before it. */
    record NextAttempt(InvokeFunction command, Duration delay) {
    }

    /**
     * What follows this failed ASYNC attempt, or empty when it is the last (a dead letter). A platform failure runs
     * again while fewer than {@code platformRetries} platform retries ran before (redeliveries included), after
     * {@code platformRetryDelay}, whatever the function's policy, and without using it up; a failure of the
     * function's own is retried by its policy ({@link #retryDelay(int, int, long)}), counting its own attempts only.
     */
    static Optional<NextAttempt> nextAttempt(InvokeFunction failed, ErrorKind kind, int platformRetries,
                                             Duration platformRetryDelay, int maxRetries, long retryBackoffMs) {
        if (kind == ErrorKind.PLATFORM) {
            return failed.platformRetries() < platformRetries
                    ? Optional.of(new NextAttempt(failed.platformRetry(1), platformRetryDelay))
                    : Optional.empty();
        }
        return retryDelay(failed.policyAttempt(), maxRetries, retryBackoffMs)
                .map(delay -> new NextAttempt(failed.nextAttempt(), delay));
    }

    /**
     * The policies applied to this failed attempt (the function's from its cached version: no registry call).
     *
     * @throws RuntimeException the function's version cannot be had (only asked for a failure of the function's own)
     */
    Optional<NextAttempt> nextAttempt(InvokeFunction command, InvocationCompleted failed) {
        if (failed.errorKind() == ErrorKind.PLATFORM) {
            return nextAttempt(command, ErrorKind.PLATFORM, platformRetries, platformRetryDelay, 0, 0);
        }
        FunctionVersionView version = registry.version(command.functionName(), command.version(),
                command.codeSha256());
        return nextAttempt(command, failed.errorKind(), platformRetries, platformRetryDelay, version.maxRetries(),
                version.retryBackoffMs());
    }

    /**
     * The wait before the next attempt of a failed ASYNC call, or empty when its attempts are used up. Attempt n
     * (1-based) that failed is followed by attempt n+1 after {@code retryBackoffMs * 2^(n-1)}, while
     * {@code n <= maxRetries}.
     */
    static Optional<Duration> retryDelay(int failedAttempt, int maxRetries, long retryBackoffMs) {
        if (failedAttempt > maxRetries) {
            return Optional.empty();
        }
        int doublings = Math.min(failedAttempt - 1, 30);
        long delay = retryBackoffMs <= 0 ? 0 : Math.multiplyExact(retryBackoffMs, 1L << doublings);
        return Optional.of(Duration.ofMillis(delay));
    }

    /**
     * Records that the call will run again, then publishes its next attempt (confirmed) to the delay queue for its
     * delay, or straight to the invoke route when there is no delay. The next attempt keeps the caller's
     * {@code reply_to} and correlation id, so that a producer waiting for the final outcome gets it from the attempt
     * that ends the call.
     *
     * @throws io.cloudfunc.support.messaging.PublishFailedException the broker did not take the retry's record
     * @throws AmqpException the broker did not take the next attempt: try later
     */
    void scheduleRetry(InvokeFunction command, NextAttempt nextAttempt, InvocationCompleted failed, String replyTo,
                       String correlationId) {
        InvokeFunction next = nextAttempt.command();
        Duration delay = nextAttempt.delay();
        // the record goes back to QUEUED (confirmed by the broker) before the next attempt can exist
        // with the call's acceptance: an outside producer's call gets its record, event and acceptance time here
        ConfirmedPublisher.await(records.publish(new InvocationRecords(
                List.of(new CreateInvocation(command.invocationId(), command.functionName(), command.version(),
                        command.payload(), command.acceptedAt(), command.mode(), command.apiKeyId())),
                List.of(),
                List.of(new RetryScheduled(command.invocationId(), command.functionName(), command.version(),
                        failed.status(), failed.error(), failed.errorKind(), next.attempt(),
                        clock.instant().plus(delay))),
                List.of())));
        long delayMs = delay.toMillis();
        if (delayMs <= 0) {
            publish(Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_ROUTING_KEY, next, Topology.TYPE_INVOKE_FUNCTION, replyTo,
                    correlationId);
        } else {
            var queue = topology.retryQueue(delayMs);
            admin.declareQueue(queue); // also resets its x-expires clock
            publish("", queue.getName(), next, Topology.TYPE_INVOKE_FUNCTION, replyTo, correlationId);
        }
    }

    /** Asks the scheduler (through {@code cloudfunc.callbacks}) to POST the final record to the callback URL. */
    void requestCallback(InvocationCompleted completed, String callbackUrl) {
        publish(Topology.INVOCATIONS_EXCHANGE, Topology.CALLBACK_ROUTING_KEY,
                new CallbackRequested(completed.invocationId(), completed.functionName(), callbackUrl),
                Topology.TYPE_CALLBACK_REQUESTED, null, null);
    }

    private void publish(String exchange, String routingKey, Object body, String type, String replyTo,
                         String correlationId) {
        var properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setType(type);
        if (body instanceof InvokeFunction command) {
            String id = command.invocationId().toString();
            properties.setCorrelationId(correlationId == null || correlationId.isBlank() ? id : correlationId);
            properties.setMessageId(id);
            if (replyTo != null && !replyTo.isBlank()) {
                properties.setReplyTo(replyTo);
            }
        }
        publisher.publishAndWait(exchange, routingKey, new Message(json.writeValueAsBytes(body), properties));
    }
}

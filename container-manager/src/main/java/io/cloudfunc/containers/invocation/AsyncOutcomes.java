package io.cloudfunc.containers.invocation;

import io.cloudfunc.containers.registry.RegistryClient;
import io.cloudfunc.support.messaging.ConfirmedPublisher;
import io.cloudfunc.support.messaging.RecordPublisher;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.CreateInvocation;
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
 * What happens after an ASYNC attempt: the retry policy (per function version: {@code maxRetries},
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
    private final JsonMapper json;
    private final Clock clock;

    AsyncOutcomes(RegistryClient registry, RecordPublisher records, ConfirmedPublisher publisher, AmqpAdmin admin,
                  JsonMapper json, Clock clock) {
        this.records = records;
        this.publisher = publisher;
        this.registry = registry;
        this.admin = admin;
        this.json = json;
        this.clock = clock;
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

    /** The function version's policy applied to this failed attempt (cached version: no registry call). */
    Optional<Duration> retryDelay(InvokeFunction command) {
        FunctionVersionView version = registry.version(command.functionName(), command.version(),
                command.codeSha256());
        return retryDelay(command.attempt(), version.maxRetries(), version.retryBackoffMs());
    }

    /**
     * Records that the call will run again, then publishes its next attempt (confirmed) to the delay queue for
     * {@code delay}, or straight to the invoke route when there is no delay.
     *
     * @throws io.cloudfunc.support.messaging.PublishFailedException the broker did not take the retry's record
     * @throws AmqpException the broker did not take the next attempt: try later
     */
    void scheduleRetry(InvokeFunction command, InvocationCompleted failed, Duration delay) {
        InvokeFunction next = command.nextAttempt();
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
            publish(Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_ROUTING_KEY, next, Topology.TYPE_INVOKE_FUNCTION);
        } else {
            var queue = InvocationTopology.retryQueue(delayMs);
            admin.declareQueue(queue); // also resets its x-expires clock
            publish("", queue.getName(), next, Topology.TYPE_INVOKE_FUNCTION);
        }
    }

    /** Asks the scheduler (through {@code cloudfunc.callbacks}) to POST the final record to the callback URL. */
    void requestCallback(InvocationCompleted completed, String callbackUrl) {
        publish(Topology.INVOCATIONS_EXCHANGE, Topology.CALLBACK_ROUTING_KEY,
                new CallbackRequested(completed.invocationId(), completed.functionName(), callbackUrl),
                Topology.TYPE_CALLBACK_REQUESTED);
    }

    private void publish(String exchange, String routingKey, Object body, String type) {
        var properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setType(type);
        if (body instanceof InvokeFunction command) {
            String id = command.invocationId().toString();
            properties.setCorrelationId(id);
            properties.setMessageId(id);
        }
        publisher.publishAndWait(exchange, routingKey, new Message(json.writeValueAsBytes(body), properties));
    }
}

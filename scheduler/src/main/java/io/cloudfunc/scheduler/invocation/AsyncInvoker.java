package io.cloudfunc.scheduler.invocation;

import io.cloudfunc.contracts.function.FunctionRefs;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.AsyncInvocationAccepted;
import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.cloudfunc.scheduler.SchedulerProperties;
import io.cloudfunc.scheduler.function.FunctionResolver;
import io.cloudfunc.scheduler.registry.RegistryClient;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.callback.CallbackUrls;
import io.cloudfunc.support.problem.Problems;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One asynchronous invocation: resolve the function, publish an ASYNC {@code InvokeFunction} without
 * {@code reply_to} while its QUEUED record is written (batched with concurrent calls), and accept the call once
 * both are done. The broker's confirm is what makes the call safe ("nothing accepted is lost": the message is on
 * disk in a durable queue before the 202); the record is there so that the caller can poll at once. Should the
 * record fail while the message was confirmed, the call is still accepted: it will run and its completion creates
 * the record.
 */
@Service
class AsyncInvoker {

    private static final Logger log = LoggerFactory.getLogger(AsyncInvoker.class);

    private final FunctionResolver functions;
    private final RegistryClient registry;
    private final InvocationPublisher publisher;
    private final QueuedRecords records;
    private final JsonMapper json;
    private final Duration confirmTimeout;
    private final Executor recorder = Executors.newVirtualThreadPerTaskExecutor();

    AsyncInvoker(FunctionResolver functions, RegistryClient registry, InvocationPublisher publisher,
                 QueuedRecords records, JsonMapper json, SchedulerProperties properties) {
        this.functions = functions;
        this.registry = registry;
        this.publisher = publisher;
        this.records = records;
        this.json = json;
        this.confirmTimeout = properties.confirmTimeout();
    }

    AsyncInvocationAccepted accept(String reference, byte[] event, String callbackUrl) {
        return accept(reference, event, callbackUrl, null);
    }

    /**
     * @param reference {@code name}, {@code name:version} or {@code name:alias}
     * @param apiKeyId the key the call was made with (recorded on the invocation), or null
     */
    AsyncInvocationAccepted accept(String reference, byte[] event, String callbackUrl, UUID apiKeyId) {
        FunctionRefs.Ref ref = FunctionResolver.parse(reference);
        String functionName = ref.name();
        String callback = checkCallbackUrl(callbackUrl);
        JsonNode payload = Unpublished.parseEvent(json, event);
        FunctionVersionView function = functions.resolve(ref);
        UUID id = UUID.randomUUID();
        Instant acceptedAt = Instant.now();
        int version = function.version();
        CompletableFuture<Void> recorded = records.add(
                new CreateInvocation(id, functionName, version, payload, acceptedAt, InvocationMode.ASYNC, apiKeyId));
        var command = new InvokeFunction(id, functionName, version, payload, acceptedAt, function.codeSha256(),
                InvocationMode.ASYNC, 1, callback, apiKeyId);
        awaitConfirm(command, recorded);
        try {
            recorded.get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Recording accepted invocation {} as QUEUED failed; its completion will create the record",
                    id, e instanceof ExecutionException ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new AsyncInvocationAccepted(id, functionName, version, InvocationStatus.QUEUED, acceptedAt,
                Map.of("self", "/invocations/" + id, "function", "/functions/" + functionName));
    }

    /** Returns once the broker has confirmed the message; a 503 when it surely or possibly did not take it. */
    private void awaitConfirm(InvokeFunction command, CompletableFuture<Void> recorded) {
        CorrelationData confirm;
        try {
            confirm = publisher.publishAsync(command);
        } catch (AmqpException e) {
            log.warn("Publishing invocation {} failed", command.invocationId(), e);
            throw unpublished(command, recorded, "The invocation could not be published: RabbitMQ is unavailable.");
        }
        CorrelationData.Confirm result;
        try {
            result = confirm.getFuture().get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // It may still be delivered and run: its record is left to the container-manager.
            throw Problems.platformError(Invoker.BROKER,
                    "RabbitMQ did not confirm the invocation within " + confirmTimeout.toMillis() + " ms.");
        } catch (ExecutionException e) {
            throw unpublished(command, recorded, "RabbitMQ did not take the invocation.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problems.platformError("scheduler", "Interrupted while waiting for the broker's confirm.");
        }
        if (!result.ack()) {
            throw unpublished(command, recorded, "RabbitMQ refused the invocation: " + result.reason());
        }
        if (confirm.getReturned() != null) {
            throw unpublished(command, recorded, "RabbitMQ could not route the invocation to a queue: "
                    + confirm.getReturned().getReplyText());
        }
    }

    private ProblemException unpublished(InvokeFunction command, CompletableFuture<Void> recorded, String detail) {
        Unpublished.record(registry, recorder, command, recorded, detail);
        return Problems.platformError(Invoker.BROKER, detail);
    }

    /**
     * An absolute http(s) URL with a host, or null. The gateway checks it already; checked again here because the
     * scheduler will send the record there.
     */
    static String checkCallbackUrl(String callbackUrl) {
        return callbackUrl == null || callbackUrl.isBlank() ? null : CallbackUrls.checked(callbackUrl);
    }
}

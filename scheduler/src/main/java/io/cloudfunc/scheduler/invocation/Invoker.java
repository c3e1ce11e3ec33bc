package io.cloudfunc.scheduler.invocation;

import io.cloudfunc.contracts.function.FunctionRefs;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.scheduler.SchedulerProperties;
import io.cloudfunc.scheduler.function.FunctionResolver;
import io.cloudfunc.scheduler.registry.RegistryClient;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One synchronous invocation: resolve the function, record the invocation, publish it, wait for the reply.
 *
 * <p>The broker's confirm is awaited alongside the reply rather than before it: a nack, an unroutable return or no
 * confirm within {@code scheduler.confirm-timeout} fails the call with 503, but a warm call whose reply comes back
 * before the broker has confirmed does not pay for the confirm's disk flush. A message the broker surely did not
 * take is recorded as FAILED (PLATFORM), so that its record does not stay QUEUED for ever.
 */
@Service
class Invoker {

    static final String BROKER = "rabbitmq";
    /** Error types of a container-manager that was sent a version that no longer is what the registry has. */
    private static final Set<String> STALE_FUNCTION_ERRORS = Set.of("FunctionNotFound", "FunctionReplaced");

    private static final Logger log = LoggerFactory.getLogger(Invoker.class);

    private final FunctionResolver functions;
    private final RegistryClient registry;
    private final InvocationPublisher publisher;
    private final PendingReplies pendingReplies;
    private final QueuedRecords records;
    private final InvocationMetrics metrics;
    private final JsonMapper json;
    private final Duration replyTimeoutMargin;
    private final Duration confirmTimeout;
    private final Executor recorder = Executors.newVirtualThreadPerTaskExecutor();

    Invoker(FunctionResolver functions, RegistryClient registry, InvocationPublisher publisher,
            PendingReplies pendingReplies, QueuedRecords records, InvocationMetrics metrics, JsonMapper json,
            SchedulerProperties properties) {
        this.functions = functions;
        this.registry = registry;
        this.publisher = publisher;
        this.pendingReplies = pendingReplies;
        this.records = records;
        this.metrics = metrics;
        this.json = json;
        this.replyTimeoutMargin = properties.replyTimeoutMargin();
        this.confirmTimeout = properties.confirmTimeout();
    }

    InvocationCompleted invoke(String reference, byte[] event) {
        return invoke(reference, event, null);
    }

    /**
     * @param reference {@code name}, {@code name:version} or {@code name:alias}
     * @param apiKeyId the key the call was made with (recorded on the invocation), or null
     */
    InvocationCompleted invoke(String reference, byte[] event, UUID apiKeyId) {
        long started = System.nanoTime();
        String outcome = InvocationMetrics.REJECTED;
        try {
            InvocationCompleted completed = run(reference, event, apiKeyId);
            outcome = completed.status().name();
            return completed;
        } catch (ProblemException e) {
            outcome = InvocationMetrics.outcomeOf(e.problem());
            throw e;
        } finally {
            metrics.record(outcome, System.nanoTime() - started);
        }
    }

    private InvocationCompleted run(String reference, byte[] event, UUID apiKeyId) {
        FunctionRefs.Ref ref = FunctionResolver.parse(reference);
        String functionName = ref.name();
        JsonNode payload = parse(event);
        FunctionVersionView function = functions.resolve(ref);
        UUID id = UUID.randomUUID();
        String correlationId = id.toString();
        MDC.put("invocationId", correlationId);
        MDC.put("functionName", functionName);
        try {
            Instant acceptedAt = Instant.now();
            // The QUEUED record is written while the call runs, not before it: the registry never lets it overwrite
            // a final state, and the container-manager's completion creates the record if it comes first. The
            // answer still waits for it, so a record exists whenever the caller gets an invocation id. It goes through
            // the same batched writer as the asynchronous calls': under load many calls share one registry request.
            CompletableFuture<Void> recorded = records.add(new CreateInvocation(id, functionName,
                    function.version(), payload, acceptedAt, InvocationMode.SYNC, apiKeyId));
            CompletableFuture<InvocationCompleted> reply = pendingReplies.expect(correlationId);
            try {
                publish(new InvokeFunction(id, functionName, function.version(), payload, acceptedAt,
                        function.codeSha256(), InvocationMode.SYNC, 1, null, apiKeyId), reply, recorded);
                Duration wait = Duration.ofMillis(function.timeoutMs()).plus(replyTimeoutMargin);
                InvocationCompleted completed = await(reply, wait, id, functionName);
                if (isStale(completed)) {
                    // The container-manager found no such version, or other code under it: the function was
                    // deleted (and maybe deployed again) and our cache missed the event. The next call reloads it.
                    functions.invalidate(functionName);
                }
                awaitRecorded(recorded, id);
                return completed;
            } finally {
                pendingReplies.forget(correlationId, reply);
            }
        } finally {
            MDC.remove("invocationId");
            MDC.remove("functionName");
        }
    }

    /**
     * The QUEUED record is not essential once the call has completed (the completion creates it), so a failure to
     * write it is logged rather than failing a call that ran.
     */
    private static void awaitRecorded(CompletableFuture<Void> recorded, UUID id) {
        try {
            recorded.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Recording invocation {} as QUEUED failed; its completion will create the record", id,
                    e instanceof ExecutionException ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private JsonNode parse(byte[] event) {
        return Unpublished.parseEvent(json, event);
    }

    /**
     * Publishes the command; a failure to publish fails {@code reply} (or throws at once). When the broker surely did
     * not take the message (unreachable, nack, unroutable) the invocation is also recorded as FAILED, since no
     * container-manager will ever complete it; without a confirm in time it may still run, so its record is left to
     * the container-manager.
     */
    private void publish(InvokeFunction command, CompletableFuture<InvocationCompleted> reply,
                         CompletableFuture<Void> recorded) {
        CorrelationData confirm;
        try {
            confirm = publisher.publish(command);
        } catch (AmqpException e) {
            log.warn("Publishing invocation {} failed", command.invocationId(), e);
            String detail = "The invocation could not be published: RabbitMQ is unavailable.";
            recordUnpublished(command, recorded, detail);
            throw Problems.platformError(BROKER, detail);
        }
        var confirmed = confirm.getFuture().orTimeout(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
        confirmed.whenComplete((result, failure) -> {
            String detail = null;
            if (failure != null) {
                reply.completeExceptionally(Problems.platformError(BROKER,
                        "RabbitMQ did not confirm the invocation within " + confirmTimeout.toMillis() + " ms."));
            } else if (!result.ack()) {
                detail = "RabbitMQ refused the invocation: " + result.reason();
            } else if (confirm.getReturned() != null) {
                detail = "RabbitMQ could not route the invocation to a queue: "
                        + confirm.getReturned().getReplyText();
            }
            if (detail != null) {
                recordUnpublished(command, recorded, detail);
                reply.completeExceptionally(Problems.platformError(BROKER, detail));
            }
        });
    }

    /** Records an invocation the broker did not take as FAILED, once its QUEUED record has been written (or not). */
    private void recordUnpublished(InvokeFunction command, CompletableFuture<Void> recorded, String detail) {
        Unpublished.record(registry, recorder, command, recorded, detail);
    }

    private static boolean isStale(InvocationCompleted completed) {
        return completed.errorKind() == ErrorKind.PLATFORM && completed.error() != null
                && STALE_FUNCTION_ERRORS.contains(completed.error().type());
    }

    private static InvocationCompleted await(CompletableFuture<InvocationCompleted> reply, Duration wait, UUID id,
            String functionName) {
        try {
            return reply.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            ProblemDetail problem = Problems.of(HttpStatus.GATEWAY_TIMEOUT, ProblemTypes.FUNCTION_TIMEOUT,
                    "No result for invocation " + id + " of function '" + functionName + "' within " + wait.toMillis()
                            + " ms. The invocation goes on; its record will show the outcome.");
            problem.setProperty("invocationId", id);
            problem.setProperty("functionName", functionName);
            throw new ProblemException(problem);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProblemException problem) {
                throw problem;
            }
            throw Problems.platformError(BROKER, "Waiting for the reply failed.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problems.platformError("scheduler", "Interrupted while waiting for the reply.");
        }
    }
}

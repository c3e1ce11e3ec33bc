package io.cloudfunc.scheduler.invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.cloudfunc.contracts.function.FunctionRefs;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.scheduler.SchedulerProperties;
import io.cloudfunc.scheduler.function.FunctionResolver;
import io.cloudfunc.scheduler.registry.RegistryClient;
import io.cloudfunc.support.problem.ProblemException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.mockito.ArgumentCaptor;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import tools.jackson.databind.json.JsonMapper;

class InvokerTests {

    private final JsonMapper json = JsonMapper.builder().build();
    private final FunctionResolver functions = mock(FunctionResolver.class);
    private final RegistryClient registry = mock(RegistryClient.class);
    private final InvocationPublisher publisher = mock(InvocationPublisher.class);
    private final PendingReplies pendingReplies = new PendingReplies("cloudfunc.replies.test", json);
    private QueuedRecords records;
    private Invoker invoker;

    @AfterEach
    void stopWriters() {
        records.destroy();
    }

    @BeforeEach
    void setUp() {
        var properties = new SchedulerProperties(URI.create("http://localhost:7000"), Duration.ofMillis(100),
                Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(1),
                new SchedulerProperties.FunctionCache(Duration.ofMinutes(1), 100), new SchedulerProperties.Async(16, 1),
                new SchedulerProperties.Callbacks(2, Duration.ofMillis(10), Duration.ofSeconds(1), 1));
        records = new QueuedRecords(registry, properties);
        invoker = new Invoker(functions, registry, publisher, pendingReplies, records,
                new InvocationMetrics(new SimpleMeterRegistry(), pendingReplies), json, properties);
        Instant now = Instant.now();
        when(functions.resolve(latest("hello"))).thenReturn(new FunctionVersionView("hello", 7, "python", "function.handler", 100, 128,
                60_000, Map.of(), 0, 10, 1, "none", null, null, 0, 1000L, "0".repeat(64), 10, now, List.of()));
    }

    @Test
    void recordsTheInvocationBeforeAnswering() {
        var recorded = new java.util.concurrent.atomic.AtomicBoolean();
        org.mockito.Mockito.doAnswer(call -> {
            Thread.sleep(50); // a slow registry: the answer must still wait for the record
            recorded.set(true);
            return null;
        }).when(registry).createInvocations(any());
        when(publisher.publish(any())).thenAnswer(call -> replyAtOnce(call.getArgument(0)));

        InvocationCompleted completed = invoker.invoke("hello", "{\"x\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(completed.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(recorded).isTrue();
        assertThat(queuedRecord().id()).isEqualTo(completed.invocationId());
    }

    @Test
    void aFailedQueuedRecordDoesNotFailACallThatRan() {
        org.mockito.Mockito.doThrow(new IllegalStateException("registry down")).when(registry).createInvocations(any());
        when(publisher.publish(any())).thenAnswer(call -> replyAtOnce(call.getArgument(0)));

        InvocationCompleted completed = invoker.invoke("hello", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(completed.status()).isEqualTo(InvocationStatus.SUCCEEDED);
    }

    @Test
    void returnsTheReplyEvenWhileTheBrokerHasNotConfirmedYet() {
        when(publisher.publish(any())).thenAnswer(call -> replyAtOnce(call.getArgument(0)));

        InvocationCompleted completed = invoker.invoke("hello", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(completed.version()).isEqualTo(7);
        assertThat(pendingReplies.size()).isZero();
    }

    @Test
    void answers503WhenTheBrokerRefusesTheMessage() {
        when(publisher.publish(any())).thenAnswer(call -> refused("queue full"));

        ProblemException problem = invokeExpectingProblem();

        assertThat(problem.problem().getStatus()).isEqualTo(503);
        assertThat(problem.problem().getType()).isEqualTo(ProblemTypes.PLATFORM_ERROR);
        assertThat(problem.problem().getDetail()).contains("queue full");
    }

    @Test
    void answers503WhenTheMessageCannotBeRouted() {
        when(publisher.publish(any())).thenAnswer(call -> unroutable());

        ProblemException problem = invokeExpectingProblem();

        assertThat(problem.problem().getStatus()).isEqualTo(503);
        assertThat(problem.problem().getDetail()).contains("NO_ROUTE");
    }

    @Test
    void aMessageTheBrokerRefusedIsRecordedAsFailedAfterItsQueuedRecord() {
        var queuedRecorded = new java.util.concurrent.atomic.AtomicLong();
        org.mockito.Mockito.doAnswer(call -> {
            Thread.sleep(100); // a slow QUEUED insert: the FAILED record must come after it
            queuedRecorded.set(System.nanoTime());
            return null;
        }).when(registry).createInvocations(any());
        var failedRecorded = new java.util.concurrent.atomic.AtomicLong();
        org.mockito.Mockito.doAnswer(call -> {
            failedRecorded.set(System.nanoTime());
            return null;
        }).when(registry).complete(any());
        when(publisher.publish(any())).thenAnswer(call -> refused("queue full"));

        ProblemException problem = invokeExpectingProblem();

        var recorded = ArgumentCaptor.forClass(InvocationCompleted.class);
        verify(registry, timeout(2_000)).complete(recorded.capture());
        InvocationCompleted failed = recorded.getValue();
        assertThat(problem.problem().getStatus()).isEqualTo(503);
        assertThat(failed.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(failed.errorKind()).isEqualTo(ErrorKind.PLATFORM);
        assertThat(failed.error().type()).isEqualTo("PlatformError");
        assertThat(failed.error().message()).isEqualTo(problem.problem().getDetail()).contains("queue full");
        assertThat(failed.functionName()).isEqualTo("hello");
        assertThat(failed.version()).isEqualTo(7);
        assertThat(failedRecorded.get()).isGreaterThan(queuedRecorded.get());
        assertThat(failed.invocationId()).isEqualTo(queuedRecord().id());
    }

    @Test
    void anUnroutableMessageIsRecordedAsFailed() {
        when(publisher.publish(any())).thenAnswer(call -> unroutable());

        invokeExpectingProblem();

        var recorded = ArgumentCaptor.forClass(InvocationCompleted.class);
        verify(registry, timeout(2_000)).complete(recorded.capture());
        assertThat(recorded.getValue().status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(recorded.getValue().error().message()).contains("NO_ROUTE");
    }

    @Test
    void aMessageThatCouldNotBePublishedIsRecordedAsFailed() {
        when(publisher.publish(any())).thenThrow(new AmqpConnectException(new java.net.ConnectException("refused")));

        invokeExpectingProblem();

        var recorded = ArgumentCaptor.forClass(InvocationCompleted.class);
        verify(registry, timeout(2_000)).complete(recorded.capture());
        assertThat(recorded.getValue().status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(recorded.getValue().errorKind()).isEqualTo(ErrorKind.PLATFORM);
    }

    @Test
    void sendsTheCodeDigestOfTheVersionItResolved() {
        when(publisher.publish(any())).thenAnswer(call -> replyAtOnce(call.getArgument(0)));

        invoker.invoke("hello", "{}".getBytes(StandardCharsets.UTF_8));

        var published = ArgumentCaptor.forClass(InvokeFunction.class);
        verify(publisher).publish(published.capture());
        assertThat(published.getValue().codeSha256()).isEqualTo("0".repeat(64));
        assertThat(published.getValue().version()).isEqualTo(7);
    }

    @Test
    void aReplySayingTheFunctionWasReplacedDropsItFromTheCache() {
        when(publisher.publish(any())).thenAnswer(call -> reply(call.getArgument(0), new InvocationCompleted(
                ((InvokeFunction) call.getArgument(0)).invocationId(), "hello", 7, InvocationStatus.FAILED, null,
                null, FunctionError.of("FunctionReplaced", "function hello v7 was replaced"), ErrorKind.PLATFORM, "",
                Instant.now(), Instant.now(), 0)));

        InvocationCompleted completed = invoker.invoke("hello", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(completed.error().type()).isEqualTo("FunctionReplaced");
        verify(functions).invalidate("hello");
    }

    @Test
    void answers503WhenTheBrokerNeverConfirms() {
        when(functions.resolve(latest("slow"))).thenReturn(new FunctionVersionView("slow", 1, "python", "function.handler", 60_000, 128,
                60_000, Map.of(), 0, 10, 1, "none", null, null, 0, 1000L, "0".repeat(64), 10, Instant.now(), List.of()));
        when(publisher.publish(any())).thenReturn(new CorrelationData("x"));

        long started = System.nanoTime();
        ProblemException problem = catchThrowableOfType(ProblemException.class,
                () -> invoker.invoke("slow", new byte[0]));

        assertThat(problem.problem().getStatus()).isEqualTo(503);
        assertThat(problem.problem().getDetail()).contains("did not confirm");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aConfirmThatNeverComesLeavesTheRecordToTheContainerManager() throws Exception {
        when(publisher.publish(any())).thenReturn(new CorrelationData("x")); // the message may still be delivered

        invokeExpectingProblem();
        Thread.sleep(300);

        verify(registry, never()).complete(any());
    }

    @Test
    void answers503WhenTheBrokerIsUnreachable() {
        when(publisher.publish(any())).thenThrow(new AmqpConnectException(new java.net.ConnectException("refused")));

        ProblemException problem = invokeExpectingProblem();

        assertThat(problem.problem().getStatus()).isEqualTo(503);
        assertThat(problem.problem().getDetail()).doesNotContain("Exception");
        assertThat(pendingReplies.size()).isZero();
    }

    @Test
    void answers504WithTheInvocationIdAfterTheFunctionTimeoutPlusMargin() {
        when(publisher.publish(any())).thenAnswer(call -> confirmed());

        long started = System.nanoTime();
        ProblemException problem = invokeExpectingProblem();

        assertThat(problem.problem().getStatus()).isEqualTo(504);
        assertThat(problem.problem().getType()).isEqualTo(ProblemTypes.FUNCTION_TIMEOUT);
        assertThat(problem.problem().getProperties()).containsKey("invocationId");
        // function timeout 100 ms + margin 100 ms
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(pendingReplies.size()).isZero();
    }

    @Test
    void rejectsAnInvalidEventWithoutRecordingAnything() {
        ProblemException problem = catchThrowableOfType(ProblemException.class,
                () -> invoker.invoke("hello", "{nope".getBytes(StandardCharsets.UTF_8)));

        assertThat(problem.problem().getStatus()).isEqualTo(400);
        verify(registry, never()).createInvocations(any());
        verify(publisher, never()).publish(any());
    }

    @Test
    void rejectsAnInvalidNameWithoutResolvingIt() {
        ProblemException problem = catchThrowableOfType(ProblemException.class,
                () -> invoker.invoke("UPPER", new byte[0]));

        assertThat(problem.problem().getStatus()).isEqualTo(400);
        verify(functions, never()).resolve(any());
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello:", "hello:0", "hello:-1", "hello:Prod", "hello:1:2", ":3", "hello:prod-"})
    void rejectsAMalformedReferenceWithoutResolvingIt(String reference) {
        ProblemException problem = catchThrowableOfType(ProblemException.class,
                () -> invoker.invoke(reference, new byte[0]));

        assertThat(problem.problem().getStatus()).isEqualTo(400);
        verify(functions, never()).resolve(any());
    }

    @Test
    void runsTheVersionAnAliasNames() {
        when(functions.resolve(new FunctionRefs.Ref("hello", "prod"))).thenReturn(new FunctionVersionView("hello", 3,
                "python", "function.handler", 100, 128, 60_000, Map.of(), 0, 10, 1, "none", null, null, 0, 1000L,
                "3".repeat(64), 10, Instant.now(), List.of()));
        when(publisher.publish(any())).thenAnswer(call -> replyAtOnce(call.getArgument(0)));

        InvocationCompleted completed = invoker.invoke("hello:prod", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(completed.version()).isEqualTo(3);
        var published = org.mockito.ArgumentCaptor.forClass(InvokeFunction.class);
        verify(publisher).publish(published.capture());
        assertThat(published.getValue().functionName()).isEqualTo("hello");
        assertThat(published.getValue().version()).isEqualTo(3);
        assertThat(published.getValue().codeSha256()).isEqualTo("3".repeat(64));
    }

    private ProblemException invokeExpectingProblem() {
        return catchThrowableOfType(ProblemException.class, () -> invoker.invoke("hello", new byte[0]));
    }

    private static CorrelationData confirmed() {
        var confirm = new CorrelationData("x");
        confirm.getFuture().complete(new CorrelationData.Confirm(true, null));
        return confirm;
    }

    /** What the container-manager does on a warm call: the reply arrives before the broker's confirm. */
    private CorrelationData replyAtOnce(InvokeFunction command) {
        return reply(command, new InvocationCompleted(command.invocationId(), command.functionName(),
                command.version(), InvocationStatus.SUCCEEDED, StartType.WARM, command.payload(), null, null, "",
                Instant.now(), Instant.now(), 1));
    }

    private CorrelationData reply(InvokeFunction command, InvocationCompleted completed) {
        var properties = new MessageProperties();
        properties.setCorrelationId(command.invocationId().toString());
        pendingReplies.onMessage(new Message(json.writeValueAsBytes(completed), properties));
        return new CorrelationData(command.invocationId().toString());
    }

    /** The broker's answer to a message it could not route to any queue. */
    private static CorrelationData unroutable() {
        var confirm = new CorrelationData("x");
        confirm.setReturned(new ReturnedMessage(new Message(new byte[0]), 312, "NO_ROUTE", "cloudfunc.invocations",
                "invoke"));
        confirm.getFuture().complete(new CorrelationData.Confirm(true, null));
        return confirm;
    }

    /** The broker's nack of a message, with its reason. */
    private static CorrelationData refused(String reason) {
        var confirm = new CorrelationData("x");
        confirm.getFuture().complete(new CorrelationData.Confirm(false, reason));
        return confirm;
    }

    private static FunctionRefs.Ref latest(String name) {
        return new FunctionRefs.Ref(name, FunctionRefs.LATEST);
    }

    /** The one QUEUED record written, through the batched writer. */
    @SuppressWarnings("unchecked")
    private CreateInvocation queuedRecord() {
        ArgumentCaptor<java.util.List<CreateInvocation>> batch = ArgumentCaptor.forClass((Class) java.util.List.class);
        verify(registry).createInvocations(batch.capture());
        assertThat(batch.getValue()).hasSize(1);
        return batch.getValue().getFirst();
    }
}

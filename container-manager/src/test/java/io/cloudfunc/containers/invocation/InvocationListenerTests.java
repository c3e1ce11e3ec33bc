package io.cloudfunc.containers.invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.rabbitmq.client.Channel;
import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.containers.pool.FunctionKey;
import io.cloudfunc.containers.registry.FunctionReplacedException;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.support.messaging.ConfirmedPublisher;
import io.cloudfunc.support.messaging.PublishFailedException;
import io.cloudfunc.support.messaging.RecordPublisher;
import java.util.concurrent.CompletableFuture;
import io.cloudfunc.containers.registry.RegistryUnavailableException;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;

import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.cloudfunc.contracts.messaging.Topology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import tools.jackson.databind.json.JsonMapper;

/** Parsing of InvokeFunction messages: what is processed, what is dead-lettered and what can still be recorded. */
class InvocationListenerTests {

    private final InvocationListener listener = new InvocationListener(null, null, null, null,
            JsonMapper.builder().build());
    private final UUID id = UUID.randomUUID();

    @Test
    void parsesAValidMessage() throws Exception {
        InvokeFunction command = listener.parse(bytes("{\"invocationId\":\"" + id + "\",\"functionName\":\"hello\","
                + "\"version\":3,\"payload\":{\"name\" : \"Alice\"},\"acceptedAt\":\"2026-01-01T00:00:00Z\"}"));

        assertThat(command.invocationId()).isEqualTo(id);
        assertThat(command.version()).isEqualTo(3);
        assertThat(command.acceptedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        // the event is never built into a tree: it is written on exactly as it came
        assertThat(JsonMapper.builder().build().writeValueAsString(command.payload()))
                .isEqualTo("{\"name\" : \"Alice\"}");
    }

    @Test
    void keepsScalarAndNullEventsAsTheyCame() throws Exception {
        for (String event : new String[] {"\"hi\"", "42", "null", "[1, {\"a\": [2]}]"}) {
            InvokeFunction command = listener.parse(bytes("{\"payload\":" + event + ",\"invocationId\":\"" + id
                    + "\",\"functionName\":\"hello\",\"version\":3}"));
            assertThat(JsonMapper.builder().build().writeValueAsString(command.payload())).isEqualTo(event);
        }
    }

    @Test
    void rejectsAnEventThatIsNotJson() {
        assertThatThrownBy(() -> listener.parse(bytes("{\"invocationId\":\"" + id + "\",\"functionName\":\"hello\","
                + "\"version\":3,\"payload\":{\"name\" \"Alice\"}}")))
                .isInstanceOf(InvocationListener.InvalidMessageException.class);
    }

    @Test
    void rejectsABodyThatIsNotJsonWithoutAnInvocationId() {
        assertThatThrownBy(() -> listener.parse(bytes("hello?")))
                .isInstanceOfSatisfying(InvocationListener.InvalidMessageException.class,
                        e -> assertThat(e.invocationId).isNull());
    }

    @Test
    void rejectsAMessageWithoutFunctionNameButKeepsItsInvocationId() {
        assertThatThrownBy(() -> listener.parse(bytes("{\"invocationId\":\"" + id + "\",\"version\":1}")))
                .isInstanceOfSatisfying(InvocationListener.InvalidMessageException.class, e -> {
                    assertThat(e.invocationId).isEqualTo(id);
                    assertThat(e.getMessage()).contains("functionName");
                });
    }

    @Test
    void rejectsInvalidNamesAndVersions() {
        assertThatThrownBy(() -> listener.parse(bytes("{\"invocationId\":\"" + id
                + "\",\"functionName\":\"../etc\",\"version\":1}")))
                .hasMessageContaining("functionName");
        assertThatThrownBy(() -> listener.parse(bytes("{\"invocationId\":\"" + id
                + "\",\"functionName\":\"hello\",\"version\":0}")))
                .hasMessageContaining("version");
        assertThatThrownBy(() -> listener.parse(bytes("{\"invocationId\":\"not-a-uuid\","
                + "\"functionName\":\"hello\",\"version\":1}")))
                .hasMessageContaining("invocationId");
    }

    @Test
    void redeliveredInvocationWhoseOutcomeWasNotRecordedIsRecordedWithoutRunningAgain() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        Recorder registry = mock(Recorder.class);
        Channel channel = mock(Channel.class);
        InvocationCompleted completed = completed(id);
        when(invocations.run(any(), any())).thenReturn(completed);
        doThrow(new RegistryUnavailableException("registry down", null)).doNothing().when(registry).complete(any());
        InvocationListener listener = listener(invocations, registry, List.of(), Duration.ofMillis(20));

        long started = System.nanoTime();
        listener.onMessage(message(1), channel);
        long firstTook = System.nanoTime() - started;
        listener.onMessage(message(2), channel);

        verify(invocations, times(1)).run(any(), any());
        verify(registry, times(2)).complete(completed);
        verify(channel).basicNack(1, false, true);
        verify(channel).basicAck(2, false);
        assertThat(Duration.ofNanos(firstTook)).as("paused before handing the message back")
                .isGreaterThanOrEqualTo(Duration.ofMillis(20));
    }

    @Test
    void recordedOutcomeIsForgottenSoThatALaterDeliveryRunsAgain() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        Recorder registry = mock(Recorder.class);
        Channel channel = mock(Channel.class);
        when(invocations.run(any(), any())).thenReturn(completed(id));
        doThrow(new RegistryUnavailableException("registry down", null)).doNothing().when(registry).complete(any());
        InvocationListener listener = listener(invocations, registry, List.of(), Duration.ZERO);

        listener.onMessage(message(1), channel); // ran, not recorded
        listener.onMessage(message(2), channel); // recorded, not run
        listener.onMessage(message(3), channel); // at-least-once: an unknown delivery runs

        verify(invocations, times(2)).run(any(), any());
        verify(channel).basicAck(2, false);
        verify(channel).basicAck(3, false);
    }

    @Test
    void redeliveredMessageRunsAsTheNextAttemptAndIsRecordedAsIt() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        Recorder registry = mock(Recorder.class);
        Channel channel = mock(Channel.class);
        when(invocations.run(any(), any())).thenReturn(completed(id));
        InvocationListener listener = listener(invocations, registry, List.of(), Duration.ZERO);
        Message redelivered = message(5);
        redelivered.getMessageProperties().setRedelivered(true);

        listener.onMessage(redelivered, channel);

        var ran = ArgumentCaptor.forClass(InvokeFunction.class);
        verify(invocations).run(ran.capture(), any());
        assertThat(ran.getValue().attempt()).as("what the function sees as context.attempt").isEqualTo(2);
        assertThat(ran.getValue().platformRetries()).isEqualTo(1);
        var recorded = ArgumentCaptor.forClass(InvocationCompleted.class);
        verify(registry).complete(recorded.capture());
        assertThat(recorded.getValue().attempt()).isEqualTo(2);
        verify(channel).basicAck(5, false);
    }

    @Test
    void countsRedeliveriesByTheQuorumQueuesDeliveryCountElseByTheRedeliveredFlag() {
        MessageProperties first = new MessageProperties();
        MessageProperties flagged = new MessageProperties();
        flagged.setRedelivered(true);
        MessageProperties counted = new MessageProperties();
        counted.setRedelivered(true);
        counted.setHeader("x-delivery-count", 3L);

        assertThat(InvocationListener.redeliveries(first)).isZero();
        assertThat(InvocationListener.redeliveries(flagged)).isEqualTo(1);
        assertThat(InvocationListener.redeliveries(counted)).isEqualTo(3);
    }

    @Test
    void messageIsHandedBackWhenProcessingDiesOfAnError() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        Channel channel = mock(Channel.class);
        when(invocations.run(any(), any())).thenThrow(new StackOverflowError());
        InvocationListener listener = listener(invocations, mock(Recorder.class), List.of(), Duration.ZERO);

        assertThatThrownBy(() -> listener.onMessage(message(7), channel)).isInstanceOf(StackOverflowError.class);

        verify(channel).basicNack(7, false, true);
    }

    @Test
    void invocationForAVersionWhoseCodeWasReplacedIsRecordedAsFailedAndDeadLettered() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        Recorder registry = mock(Recorder.class);
        Channel channel = mock(Channel.class);
        when(invocations.run(any(), any())).thenThrow(new FunctionReplacedException("hello", 3, "a".repeat(64),
                "b".repeat(64)));
        when(invocations.notRun(any(), any(), anyInt(), any(), any())).thenAnswer(call -> {
            Instant now = Instant.now();
            return new InvocationCompleted(call.getArgument(0), call.getArgument(1), call.getArgument(2),
                    InvocationStatus.FAILED, null, null, FunctionError.of(call.getArgument(3), call.getArgument(4)),
                    ErrorKind.PLATFORM, "", now, now, 0);
        });
        InvocationListener listener = listener(invocations, registry, List.of(), Duration.ZERO);

        listener.onMessage(message(5), channel);

        var recorded = ArgumentCaptor.forClass(InvocationCompleted.class);
        verify(registry).complete(recorded.capture());
        assertThat(recorded.getValue().status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(recorded.getValue().errorKind()).isEqualTo(ErrorKind.PLATFORM);
        assertThat(recorded.getValue().error().type()).isEqualTo("FunctionReplaced");
        verify(channel).basicReject(5, false);
    }

    @Test
    void callOfAFunctionWithTooManyWaitingCallsGoesToTheTailOfTheQueueThenIsAcked() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        Channel channel = mock(Channel.class);
        when(invocations.run(any(), any())).thenThrow(new ContainerPool.WaitQueueFullException(
                new FunctionKey("hello", 3, "a".repeat(64)), 16));
        ConfirmedPublisher publisher = mock(ConfirmedPublisher.class);
        var republished = ArgumentCaptor.forClass(Message.class);
        when(publisher.publish(org.mockito.ArgumentMatchers.eq(Topology.INVOCATIONS_EXCHANGE),
                org.mockito.ArgumentMatchers.eq(Topology.nodeRoutingKey("local")), republished.capture()))
                .thenReturn(CompletableFuture.completedFuture(null));
        InvocationListener listener = new InvocationListener(invocations, asyncOutcomes, writer(mock(Recorder.class)),
                publisher,
                JsonMapper.builder().build(), List.of(),
                Duration.ZERO, Duration.ZERO);
        Message message = message(9);
        message.getMessageProperties().setReplyTo("replies");
        message.getMessageProperties().setCorrelationId(id.toString());

        listener.onMessage(message, channel);

        verify(channel).basicAck(9, false);
        MessageProperties properties = republished.getValue().getMessageProperties();
        assertThat(republished.getValue().getBody()).isEqualTo(message.getBody());
        assertThat(properties.getReplyTo()).isEqualTo("replies");
        assertThat(properties.getCorrelationId()).isEqualTo(id.toString());
        assertThat(properties.getDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        assertThat(properties.<Integer>getHeader(InvocationListener.DEFERRALS_HEADER)).isEqualTo(1);
    }

    @Test
    void aRedeliveredCallThatIsDeferredKeepsTheAttemptItWasCountedAs() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        Channel channel = mock(Channel.class);
        when(invocations.run(any(), any())).thenThrow(new ContainerPool.WaitQueueFullException(
                new FunctionKey("hello", 3, "a".repeat(64)), 16));
        ConfirmedPublisher publisher = mock(ConfirmedPublisher.class);
        var republished = ArgumentCaptor.forClass(Message.class);
        when(publisher.publish(any(String.class), any(String.class), republished.capture()))
                .thenReturn(CompletableFuture.completedFuture(null));
        JsonMapper json = JsonMapper.builder().build();
        InvocationListener listener = new InvocationListener(invocations, asyncOutcomes, writer(mock(Recorder.class)),
                publisher, json, List.of(), Duration.ZERO, Duration.ZERO);
        Message message = asyncMessage(11, 1, null);
        message.getMessageProperties().setRedelivered(true); // a manager died while it ran: this is attempt 2
        message.getMessageProperties().setHeader(InvocationListener.DELIVERY_COUNT_HEADER, 1);

        listener.onMessage(message, channel);

        verify(channel).basicAck(11, false);
        InvokeFunction deferred = json.readValue(republished.getValue().getBody(), InvokeFunction.class);
        assertThat(deferred.attempt()).as("its record is already RUNNING at attempt 2").isEqualTo(2);
        assertThat(republished.getValue().getMessageProperties().<Object>getHeader(
                InvocationListener.DELIVERY_COUNT_HEADER)).as("counted once, in the body").isNull();
    }

    @Test
    void deferredCallGoesBackToTheHeadWhenTheBrokerDoesNotConfirmTheRepublish() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        Channel channel = mock(Channel.class);
        when(invocations.run(any(), any())).thenThrow(new ContainerPool.WaitQueueFullException(
                new FunctionKey("hello", 3, "a".repeat(64)), 16));
        ConfirmedPublisher publisher = mock(ConfirmedPublisher.class);
        when(publisher.publish(any(String.class), any(String.class), any(Message.class))).thenReturn(
                CompletableFuture.failedFuture(new PublishFailedException(PublishFailedException.Reason.NACKED,
                        "nack", null)));
        InvocationListener listener = new InvocationListener(invocations, asyncOutcomes, writer(mock(Recorder.class)),
                publisher,
                JsonMapper.builder().build(), List.of(),
                Duration.ZERO, Duration.ZERO);

        listener.onMessage(message(4), channel);

        verify(channel).basicNack(4, false, true);
    }

    @Test
    void failedAsyncAttemptWithinThePolicyIsRetriedNotRecordedAsFinal() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        Recorder registry = mock(Recorder.class);
        Channel channel = mock(Channel.class);
        InvocationCompleted failed = failed(id);
        when(invocations.run(any(), any())).thenReturn(failed);
        when(asyncOutcomes.nextAttempt(any(InvokeFunction.class), any(InvocationCompleted.class)))
                .thenAnswer(call -> Optional.of(new AsyncOutcomes.NextAttempt(
                        call.getArgument(0, InvokeFunction.class).nextAttempt(), Duration.ofSeconds(2))));
        InvocationListener listener = listener(invocations, registry, List.of(), Duration.ZERO);

        listener.onMessage(asyncMessage(4, 2, null), channel);

        var command = ArgumentCaptor.forClass(InvokeFunction.class);
        verify(asyncOutcomes).scheduleRetry(command.capture(), any(), any(), any(), any());
        assertThat(command.getValue().attempt()).isEqualTo(2);
        verify(registry, never()).complete(any());
        verify(channel).basicAck(4, false);
    }

    @Test
    void failedLastAsyncAttemptIsADeadLetterAndAsksForTheCallback() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        Recorder registry = mock(Recorder.class);
        Channel channel = mock(Channel.class);
        when(invocations.run(any(), any())).thenReturn(failed(id));
        when(asyncOutcomes.nextAttempt(any(InvokeFunction.class), any(InvocationCompleted.class)))
                .thenReturn(Optional.empty());
        InvocationListener listener = listener(invocations, registry, List.of(), Duration.ZERO);

        listener.onMessage(asyncMessage(6, 3, "http://127.0.0.1:9/hook"), channel);

        var recorded = ArgumentCaptor.forClass(InvocationCompleted.class);
        verify(registry).complete(recorded.capture());
        assertThat(recorded.getValue().deadLettered()).isTrue();
        assertThat(recorded.getValue().attempt()).isEqualTo(3);
        assertThat(recorded.getValue().mode()).isEqualTo(InvocationMode.ASYNC);
        verify(asyncOutcomes).requestCallback(recorded.getValue(), "http://127.0.0.1:9/hook");
        verify(asyncOutcomes, never()).scheduleRetry(any(), any(), any(), any(), any());
        verify(channel).basicAck(6, false);
    }

    @Test
    void failedSyncCallIsNeverRetried() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        Recorder registry = mock(Recorder.class);
        Channel channel = mock(Channel.class);
        when(invocations.run(any(), any())).thenReturn(failed(id));
        InvocationListener listener = listener(invocations, registry, List.of(), Duration.ZERO);

        listener.onMessage(message(8), channel);

        verify(asyncOutcomes, never()).nextAttempt(any(InvokeFunction.class), any(InvocationCompleted.class));
        var recorded = ArgumentCaptor.forClass(InvocationCompleted.class);
        verify(registry).complete(recorded.capture());
        assertThat(recorded.getValue().deadLettered()).isFalse();
        verify(channel).basicAck(8, false);
    }

    @Test
    void retryDelayDoublesPerAttemptUntilTheRetriesAreUsedUp() {
        assertThat(AsyncOutcomes.retryDelay(1, 3, 500)).hasValue(Duration.ofMillis(500));
        assertThat(AsyncOutcomes.retryDelay(2, 3, 500)).hasValue(Duration.ofMillis(1000));
        assertThat(AsyncOutcomes.retryDelay(3, 3, 500)).hasValue(Duration.ofMillis(2000));
        assertThat(AsyncOutcomes.retryDelay(4, 3, 500)).isEmpty();
        assertThat(AsyncOutcomes.retryDelay(1, 0, 500)).isEmpty();
        assertThat(AsyncOutcomes.retryDelay(2, 5, 0)).hasValue(Duration.ZERO);
    }

    @Test
    void platformFailureRunsAgainUpToThePlatformRetriesWhateverTheFunctionsPolicy() {
        InvokeFunction first = asyncCommand(1);
        Duration delay = Duration.ofMillis(250);

        var second = AsyncOutcomes.nextAttempt(first, ErrorKind.PLATFORM, 2, delay, 0, 1000).orElseThrow();
        var third = AsyncOutcomes.nextAttempt(second.command(), ErrorKind.PLATFORM, 2, delay, 0, 1000).orElseThrow();

        assertThat(second.delay()).isEqualTo(delay);
        assertThat(second.command().attempt()).isEqualTo(2);
        assertThat(second.command().platformRetries()).isEqualTo(1);
        assertThat(third.command().attempt()).isEqualTo(3);
        assertThat(AsyncOutcomes.nextAttempt(third.command(), ErrorKind.PLATFORM, 2, delay, 5, 1000))
                .as("platform retries used up: a dead letter, whatever maxRetries").isEmpty();
        assertThat(AsyncOutcomes.nextAttempt(first, ErrorKind.PLATFORM, 0, delay, 5, 1000)).isEmpty();
    }

    @Test
    void platformRetriesDoNotUseUpTheFunctionsOwnRetries() {
        // two runs so far, the first one ended on the platform: this is the function's first failure of its own
        InvokeFunction afterAPlatformRetry = asyncCommand(1).platformRetry(1);

        var next = AsyncOutcomes.nextAttempt(afterAPlatformRetry, ErrorKind.FUNCTION, 2, Duration.ZERO, 1, 500)
                .orElseThrow();

        assertThat(next.delay()).as("the first retry's backoff").isEqualTo(Duration.ofMillis(500));
        assertThat(next.command().attempt()).isEqualTo(3);
        assertThat(next.command().platformRetries()).isEqualTo(1);
        assertThat(AsyncOutcomes.nextAttempt(next.command(), ErrorKind.FUNCTION, 2, Duration.ZERO, 1, 500))
                .as("maxRetries 1 used up").isEmpty();
        assertThat(AsyncOutcomes.nextAttempt(asyncCommand(1), null, 2, Duration.ZERO, 0, 500))
                .as("a timeout (no kind of the platform's) with maxRetries 0").isEmpty();
    }

    private InvokeFunction asyncCommand(int attempt) {
        return new InvokeFunction(id, "hello", 3, null, Instant.now(), null, InvocationMode.ASYNC, attempt, null);
    }

    private static InvocationCompleted failed(UUID id) {
        Instant now = Instant.now();
        return new InvocationCompleted(id, "hello", 3, InvocationStatus.FAILED, StartType.WARM, null,
                FunctionError.of("ValueError", "no"), ErrorKind.FUNCTION, "", now, now, 1);
    }

    private Message asyncMessage(long deliveryTag, int attempt, String callbackUrl) {
        MessageProperties properties = new MessageProperties();
        properties.setDeliveryTag(deliveryTag);
        properties.setReceivedExchange(Topology.INVOCATIONS_EXCHANGE);
        properties.setReceivedRoutingKey(Topology.nodeRoutingKey("local"));
        return new Message(bytes("{\"invocationId\":\"" + id + "\",\"functionName\":\"hello\",\"version\":3,"
                + "\"payload\":{},\"acceptedAt\":\"2026-01-01T00:00:00Z\",\"mode\":\"ASYNC\",\"attempt\":" + attempt
                + (callbackUrl == null ? "" : ",\"callbackUrl\":\"" + callbackUrl + "\"") + "}"), properties);
    }

    private final AsyncOutcomes asyncOutcomes = mock(AsyncOutcomes.class);

    private InvocationListener listener(InvocationService invocations, Recorder registry,
                                        List<Duration> retries, Duration requeuePause) {
        return new InvocationListener(invocations, asyncOutcomes, writer(registry), mock(ConfirmedPublisher.class),
                JsonMapper.builder().build(), retries,
                requeuePause, Duration.ZERO);
    }

    private Message message(long deliveryTag) {
        MessageProperties properties = new MessageProperties();
        properties.setDeliveryTag(deliveryTag);
        properties.setReceivedExchange(Topology.INVOCATIONS_EXCHANGE);
        properties.setReceivedRoutingKey(Topology.nodeRoutingKey("local"));
        return new Message(bytes("{\"invocationId\":\"" + id + "\",\"functionName\":\"hello\",\"version\":3,"
                + "\"payload\":{},\"acceptedAt\":\"2026-01-01T00:00:00Z\",\"codeSha256\":\"" + "a".repeat(64)
                + "\"}"), properties);
    }

    private static InvocationCompleted completed(UUID id) {
        Instant now = Instant.now();
        return new InvocationCompleted(id, "hello", 3, InvocationStatus.SUCCEEDED, StartType.WARM,
                JsonMapper.builder().build().getNodeFactory().textNode("hi"), null, null, "", now, now, 1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Stands for the registry: each final state published is one {@code complete} call, which may fail. */
    interface Recorder {
        void complete(InvocationCompleted completed);
    }

    /**
     * A record publisher whose messages reach the recorder one final state at a time: a recorder that throws is a
     * broker that did not take the message.
     */
    private static RecordPublisher writer(Recorder registry) {
        RecordPublisher records = mock(RecordPublisher.class);
        when(records.publish(any())).thenAnswer(call -> {
            try {
                call.<InvocationRecords>getArgument(0).completed().forEach(registry::complete);
                return CompletableFuture.completedFuture(null);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(new PublishFailedException(
                        PublishFailedException.Reason.BROKER_UNREACHABLE, e.getMessage(), e));
            }
        });
        return records;
    }
}

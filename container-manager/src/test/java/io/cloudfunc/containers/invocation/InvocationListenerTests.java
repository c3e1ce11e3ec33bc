package io.cloudfunc.containers.invocation;

import static org.mockito.ArgumentMatchers.argThat;
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

import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.support.messaging.PublishFailedException;
import io.cloudfunc.support.messaging.RecordPublisher;
import java.util.concurrent.CompletableFuture;
import com.rabbitmq.client.Channel;
import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.containers.pool.FunctionKey;
import io.cloudfunc.containers.registry.FunctionReplacedException;
import io.cloudfunc.containers.registry.RegistryRejectedException;
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
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import tools.jackson.databind.json.JsonMapper;

/** Parsing of InvokeFunction messages: what is processed, what is dead-lettered and what can still be recorded. */
class InvocationListenerTests {

    private final InvocationListener listener = new InvocationListener(null, null, null, null, null,
            JsonMapper.builder().build());
    private final UUID id = UUID.randomUUID();

    @Test
    void parsesAValidMessage() throws Exception {
        InvokeFunction command = listener.parse(bytes("{\"invocationId\":\"" + id + "\",\"functionName\":\"hello\","
                + "\"version\":3,\"payload\":{\"name\":\"Alice\"},\"acceptedAt\":\"2026-01-01T00:00:00Z\"}"));

        assertThat(command.invocationId()).isEqualTo(id);
        assertThat(command.version()).isEqualTo(3);
        assertThat(command.payload().path("name").stringValue()).isEqualTo("Alice");
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
        RecordPublisher records = records();
        Channel channel = mock(Channel.class);
        InvocationCompleted completed = completed(id);
        when(invocations.run(any())).thenReturn(completed);
        when(records.publish(any())).thenReturn(CompletableFuture.failedFuture(brokerDown()), confirmed());
        InvocationListener listener = listener(invocations, records, List.of(), Duration.ofMillis(20));

        long started = System.nanoTime();
        listener.onMessage(message(1), channel);
        long firstTook = System.nanoTime() - started;
        listener.onMessage(message(2), channel);

        verify(invocations, times(1)).run(any());
        verify(records, times(2)).publish(argThat(r -> r.completed().equals(List.of(completed))));
        verify(channel).basicNack(1, false, true);
        verify(channel).basicAck(2, false);
        assertThat(Duration.ofNanos(firstTook)).as("paused before handing the message back")
                .isGreaterThanOrEqualTo(Duration.ofMillis(20));
    }

    @Test
    void recordedOutcomeIsForgottenSoThatALaterDeliveryRunsAgain() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        RecordPublisher records = records();
        Channel channel = mock(Channel.class);
        when(invocations.run(any())).thenReturn(completed(id));
        when(records.publish(any())).thenReturn(CompletableFuture.failedFuture(brokerDown()), confirmed());
        InvocationListener listener = listener(invocations, records, List.of(), Duration.ZERO);

        listener.onMessage(message(1), channel); // ran, not recorded
        listener.onMessage(message(2), channel); // recorded, not run
        listener.onMessage(message(3), channel); // at-least-once: an unknown delivery runs

        verify(invocations, times(2)).run(any());
        verify(channel).basicAck(2, false);
        verify(channel).basicAck(3, false);
    }

    @Test
    void messageIsHandedBackWhenProcessingDiesOfAnError() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        Channel channel = mock(Channel.class);
        when(invocations.run(any())).thenThrow(new StackOverflowError());
        InvocationListener listener = listener(invocations, records(), List.of(), Duration.ZERO);

        assertThatThrownBy(() -> listener.onMessage(message(7), channel)).isInstanceOf(StackOverflowError.class);

        verify(channel).basicNack(7, false, true);
    }

    @Test
    void invocationForAVersionWhoseCodeWasReplacedIsRecordedAsFailedAndDeadLettered() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        RecordPublisher records = records();
        Channel channel = mock(Channel.class);
        when(invocations.run(any())).thenThrow(new FunctionReplacedException("hello", 3, "a".repeat(64),
                "b".repeat(64)));
        when(invocations.notRun(any(), any(), anyInt(), any(), any())).thenAnswer(call -> {
            Instant now = Instant.now();
            return new InvocationCompleted(call.getArgument(0), call.getArgument(1), call.getArgument(2),
                    InvocationStatus.FAILED, null, null, FunctionError.of(call.getArgument(3), call.getArgument(4)),
                    ErrorKind.PLATFORM, "", now, now, 0);
        });
        InvocationListener listener = listener(invocations, records, List.of(), Duration.ZERO);

        listener.onMessage(message(5), channel);

        var recorded = ArgumentCaptor.forClass(InvocationRecords.class);
        verify(records).publish(recorded.capture());
        assertThat(recorded.getValue().completed().getFirst().status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(recorded.getValue().completed().getFirst().errorKind()).isEqualTo(ErrorKind.PLATFORM);
        assertThat(recorded.getValue().completed().getFirst().error().type()).isEqualTo("FunctionReplaced");
        verify(channel).basicReject(5, false);
    }

    @Test
    void callOfAFunctionWithTooManyWaitingCallsGoesToTheTailOfTheQueueThenIsAcked() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        Channel channel = mock(Channel.class);
        when(invocations.run(any())).thenThrow(new ContainerPool.WaitQueueFullException(
                new FunctionKey("hello", 3, "a".repeat(64)), 16));
        RabbitTemplate rabbit = mock(RabbitTemplate.class);
        var republished = ArgumentCaptor.forClass(Message.class);
        org.mockito.Mockito.doAnswer(call -> {
            call.<CorrelationData>getArgument(3).getFuture().complete(new CorrelationData.Confirm(true, null));
            return null;
        }).when(rabbit).send(org.mockito.ArgumentMatchers.eq(Topology.INVOCATIONS_EXCHANGE),
                org.mockito.ArgumentMatchers.eq(Topology.INVOKE_ROUTING_KEY), republished.capture(),
                any(CorrelationData.class));
        InvocationListener listener = new InvocationListener(invocations, asyncOutcomes, records(),
                rabbit,
                new JacksonJsonMessageConverter(JsonMapper.builder().build()), JsonMapper.builder().build(), List.of(),
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
    void deferredCallGoesBackToTheHeadWhenTheBrokerDoesNotConfirmTheRepublish() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        Channel channel = mock(Channel.class);
        when(invocations.run(any())).thenThrow(new ContainerPool.WaitQueueFullException(
                new FunctionKey("hello", 3, "a".repeat(64)), 16));
        RabbitTemplate rabbit = mock(RabbitTemplate.class);
        org.mockito.Mockito.doAnswer(call -> {
            call.<CorrelationData>getArgument(3).getFuture().complete(new CorrelationData.Confirm(false, "nack"));
            return null;
        }).when(rabbit).send(any(String.class), any(String.class), any(Message.class), any(CorrelationData.class));
        InvocationListener listener = new InvocationListener(invocations, asyncOutcomes, records(),
                rabbit,
                new JacksonJsonMessageConverter(JsonMapper.builder().build()), JsonMapper.builder().build(), List.of(),
                Duration.ZERO, Duration.ZERO);

        listener.onMessage(message(4), channel);

        verify(channel).basicNack(4, false, true);
    }

    @Test
    void failedAsyncAttemptWithinThePolicyIsRetriedNotRecordedAsFinal() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        RecordPublisher records = records();
        Channel channel = mock(Channel.class);
        InvocationCompleted failed = failed(id);
        when(invocations.run(any())).thenReturn(failed);
        when(asyncOutcomes.retryDelay(any(InvokeFunction.class))).thenReturn(Optional.of(Duration.ofSeconds(2)));
        InvocationListener listener = listener(invocations, records, List.of(), Duration.ZERO);

        listener.onMessage(asyncMessage(4, 2, null), channel);

        var command = ArgumentCaptor.forClass(InvokeFunction.class);
        verify(asyncOutcomes).scheduleRetry(command.capture(), any(), any());
        assertThat(command.getValue().attempt()).isEqualTo(2);
        verify(records, never()).publish(any());
        verify(channel).basicAck(4, false);
    }

    @Test
    void failedLastAsyncAttemptIsADeadLetterAndAsksForTheCallback() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        RecordPublisher records = records();
        Channel channel = mock(Channel.class);
        when(invocations.run(any())).thenReturn(failed(id));
        when(asyncOutcomes.retryDelay(any(InvokeFunction.class))).thenReturn(Optional.empty());
        InvocationListener listener = listener(invocations, records, List.of(), Duration.ZERO);

        listener.onMessage(asyncMessage(6, 3, "http://127.0.0.1:9/hook"), channel);

        var recorded = ArgumentCaptor.forClass(InvocationRecords.class);
        verify(records).publish(recorded.capture());
        assertThat(recorded.getValue().completed().getFirst().deadLettered()).isTrue();
        assertThat(recorded.getValue().completed().getFirst().attempt()).isEqualTo(3);
        assertThat(recorded.getValue().completed().getFirst().mode()).isEqualTo(InvocationMode.ASYNC);
        verify(asyncOutcomes).requestCallback(recorded.getValue().completed().getFirst(), "http://127.0.0.1:9/hook");
        verify(asyncOutcomes, never()).scheduleRetry(any(), any(), any());
        verify(channel).basicAck(6, false);
    }

    @Test
    void aRetryTheRegistryRefusesMakesTheFailureFinalInsteadOfRunningTheCallAgain() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        RecordPublisher records = records();
        Channel channel = mock(Channel.class);
        when(invocations.run(any())).thenReturn(failed(id));
        when(asyncOutcomes.retryDelay(any(InvokeFunction.class))).thenReturn(Optional.of(Duration.ofMillis(100)));
        doThrow(new RegistryRejectedException("the registry refused to record the retry: 404", null))
                .when(asyncOutcomes).scheduleRetry(any(), any(), any());
        InvocationListener listener = listener(invocations, records, List.of(), Duration.ZERO);

        listener.onMessage(asyncMessage(7, 1, null), channel);

        var recorded = ArgumentCaptor.forClass(InvocationRecords.class);
        verify(records).publish(recorded.capture());
        assertThat(recorded.getValue().completed().getFirst().deadLettered()).isTrue();
        assertThat(recorded.getValue().completed().getFirst().attempt()).isEqualTo(1);
        verify(invocations).run(any());
        verify(channel).basicAck(7, false);
        verify(channel, never()).basicNack(anyLong(), anyBoolean(), anyBoolean());
    }

    @Test
    void failedSyncCallIsNeverRetried() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        RecordPublisher records = records();
        Channel channel = mock(Channel.class);
        when(invocations.run(any())).thenReturn(failed(id));
        InvocationListener listener = listener(invocations, records, List.of(), Duration.ZERO);

        listener.onMessage(message(8), channel);

        verify(asyncOutcomes, never()).retryDelay(any(InvokeFunction.class));
        var recorded = ArgumentCaptor.forClass(InvocationRecords.class);
        verify(records).publish(recorded.capture());
        assertThat(recorded.getValue().completed().getFirst().deadLettered()).isFalse();
        verify(channel).basicAck(8, false);
    }

    @Test
    void theFinalStateTravelsWithTheCallsCreatedRecordInOneMessage() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        RecordPublisher records = records();
        Channel channel = mock(Channel.class);
        InvocationCompleted completed = completed(id);
        when(invocations.run(any())).thenReturn(completed);
        InvocationListener listener = listener(invocations, records, List.of(), Duration.ZERO);
        UUID apiKeyId = UUID.randomUUID();
        MessageProperties properties = new MessageProperties();
        properties.setDeliveryTag(11);

        listener.onMessage(new Message(bytes("{\"invocationId\":\"" + id + "\",\"functionName\":\"hello\","
                + "\"version\":3,\"payload\":{\"name\":\"Ada\"},\"acceptedAt\":\"2026-01-01T00:00:00Z\","
                + "\"apiKeyId\":\"" + apiKeyId + "\"}"), properties), channel);

        var recorded = ArgumentCaptor.forClass(InvocationRecords.class);
        verify(records).publish(recorded.capture());
        assertThat(recorded.getValue().completed()).containsExactly(completed);
        assertThat(recorded.getValue().created()).containsExactly(new CreateInvocation(id, "hello", 3,
                JsonMapper.builder().build().readTree("{\"name\":\"Ada\"}"), Instant.parse("2026-01-01T00:00:00Z"),
                InvocationMode.SYNC, apiKeyId));
        verify(channel).basicAck(11, false);
    }

    @Test
    void anOutcomeTheBrokerDoesNotConfirmIsRetriedThenTheMessageGoesBack() throws Exception {
        InvocationService invocations = mock(InvocationService.class);
        RecordPublisher records = mock(RecordPublisher.class);
        Channel channel = mock(Channel.class);
        when(invocations.run(any())).thenReturn(completed(id));
        when(records.publish(any())).thenReturn(CompletableFuture.failedFuture(brokerDown()));
        InvocationListener listener = listener(invocations, records, List.of(Duration.ZERO, Duration.ZERO),
                Duration.ZERO);

        listener.onMessage(message(12), channel);

        verify(records, times(3)).publish(any());
        verify(channel).basicNack(12, false, true);
        verify(channel, never()).basicAck(anyLong(), anyBoolean());
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

    private static InvocationCompleted failed(UUID id) {
        Instant now = Instant.now();
        return new InvocationCompleted(id, "hello", 3, InvocationStatus.FAILED, StartType.WARM, null,
                FunctionError.of("ValueError", "no"), ErrorKind.FUNCTION, "", now, now, 1);
    }

    private Message asyncMessage(long deliveryTag, int attempt, String callbackUrl) {
        MessageProperties properties = new MessageProperties();
        properties.setDeliveryTag(deliveryTag);
        return new Message(bytes("{\"invocationId\":\"" + id + "\",\"functionName\":\"hello\",\"version\":3,"
                + "\"payload\":{},\"acceptedAt\":\"2026-01-01T00:00:00Z\",\"mode\":\"ASYNC\",\"attempt\":" + attempt
                + (callbackUrl == null ? "" : ",\"callbackUrl\":\"" + callbackUrl + "\"") + "}"), properties);
    }

    private final AsyncOutcomes asyncOutcomes = mock(AsyncOutcomes.class);

    private InvocationListener listener(InvocationService invocations, RecordPublisher records,
                                        List<Duration> retries, Duration requeuePause) {
        return new InvocationListener(invocations, asyncOutcomes, records, mock(RabbitTemplate.class),
                new JacksonJsonMessageConverter(JsonMapper.builder().build()), JsonMapper.builder().build(), retries,
                requeuePause, Duration.ZERO);
    }

    private Message message(long deliveryTag) {
        MessageProperties properties = new MessageProperties();
        properties.setDeliveryTag(deliveryTag);
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

    /** A record publisher whose every message the broker confirms. */
    private static RecordPublisher records() {
        RecordPublisher records = mock(RecordPublisher.class);
        when(records.publish(any())).thenReturn(confirmed());
        return records;
    }

    private static CompletableFuture<Void> confirmed() {
        return CompletableFuture.completedFuture(null);
    }

    private static PublishFailedException brokerDown() {
        return new PublishFailedException(PublishFailedException.Reason.BROKER_UNREACHABLE, "broker down", null);
    }
}

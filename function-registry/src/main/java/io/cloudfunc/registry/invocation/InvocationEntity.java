package io.cloudfunc.registry.invocation;

import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.InvocationView;
import io.cloudfunc.contracts.invocation.RetryScheduled;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.springframework.data.domain.Persistable;
import tools.jackson.databind.JsonNode;

/**
 * One invocation. Its id is chosen by the caller (the scheduler), hence {@link Persistable}: a new record is
 * inserted directly instead of being looked up first.
 */
@Entity
@Table(name = "invocations")
class InvocationEntity implements Persistable<UUID> {

    @Id
    private UUID id;

    @Column(name = "function_name", nullable = false, updatable = false)
    private String functionName;

    @Column(nullable = false, updatable = false)
    private int version;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private InvocationStatus status;

    @Enumerated(EnumType.STRING)
    @Column(name = "start_type")
    private StartType startType;

    @JdbcTypeCode(SqlTypes.JSON)
    private JsonNode request;

    @JdbcTypeCode(SqlTypes.JSON)
    private JsonNode result;

    @JdbcTypeCode(SqlTypes.JSON)
    private FunctionError error;

    @Enumerated(EnumType.STRING)
    @Column(name = "error_kind")
    private ErrorKind errorKind;

    @Column(columnDefinition = "text")
    private String logs;

    @Column(name = "accepted_at", nullable = false)
    private Instant acceptedAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(name = "duration_ms")
    private Long durationMs;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private InvocationMode mode = InvocationMode.SYNC;

    @Column(nullable = false)
    private int attempt = 1;

    @Column(name = "dead_lettered", nullable = false)
    private boolean deadLettered;

    @Column(name = "next_attempt_at")
    private Instant nextAttemptAt;

    /** The API key the call was made with; null when it did not come through the gateway. */
    @Column(name = "api_key_id")
    private UUID apiKeyId;

    @Transient
    private boolean isNew = true;

    protected InvocationEntity() {
    }

    InvocationEntity(UUID id, String functionName, int version, JsonNode request, Instant acceptedAt,
                     InvocationMode mode, UUID apiKeyId) {
        this.id = id;
        this.apiKeyId = apiKeyId;
        this.functionName = functionName;
        this.version = version;
        this.status = InvocationStatus.QUEUED;
        this.request = request;
        this.acceptedAt = acceptedAt;
        this.mode = mode;
    }

    /**
     * QUEUED becomes RUNNING; any later state stays as it is (the completion may overtake this call), and so does a
     * record already at a later attempt (the mark of an attempt that failed and was retried, arriving late).
     */
    boolean markRunning(Instant startedAt, int markedAttempt) {
        if (status != InvocationStatus.QUEUED || markedAttempt < attempt) {
            return false;
        }
        this.status = InvocationStatus.RUNNING;
        this.startedAt = startedAt;
        this.nextAttemptAt = null;
        return true;
    }

    /**
     * Records the final state once; a repeated completion (a redelivered message) changes nothing, nor does the
     * completion of an attempt older than the one the record is at (a late redelivery of a retried call).
     */
    boolean complete(InvocationCompleted completed, Instant startedAt, Instant finishedAt) {
        if (status.isFinal() || completed.attempt() < attempt) {
            return false;
        }
        this.attempt = completed.attempt();
        this.deadLettered = completed.deadLettered();
        this.nextAttemptAt = null;
        if (completed.mode() == InvocationMode.ASYNC) {
            this.mode = InvocationMode.ASYNC;
        }
        this.status = completed.status();
        this.startType = completed.startType();
        this.result = completed.result();
        this.error = completed.error();
        this.errorKind = completed.errorKind();
        this.logs = completed.logs();
        if (startedAt != null) {
            this.startedAt = startedAt;
        }
        this.finishedAt = finishedAt;
        this.durationMs = completed.durationMs();
        return true;
    }

    /**
     * A failed attempt of an ASYNC call is retried: back to QUEUED, showing the failed attempt's error, at the next
     * attempt's number. Ignored when the record is final or already at that attempt or a later one.
     */
    boolean retry(RetryScheduled retry) {
        if (status.isFinal() || retry.nextAttempt() <= attempt) {
            return false;
        }
        this.status = InvocationStatus.QUEUED;
        this.mode = InvocationMode.ASYNC;
        this.attempt = retry.nextAttempt();
        this.error = retry.error();
        this.errorKind = retry.errorKind();
        this.nextAttemptAt = retry.nextAttemptAt();
        this.startType = null;
        this.startedAt = null;
        return true;
    }

    InvocationView toView() {
        return new InvocationView(id, functionName, version, status, startType, request, result, error, errorKind,
                logs, acceptedAt, startedAt, finishedAt, durationMs, mode, attempt, deadLettered, nextAttemptAt);
    }

    /**
     * Completes what a record created by an early completion could not know: the request, the time the platform
     * accepted the call and the API key that made it. Returns whether anything changed.
     */
    boolean fillAcceptance(JsonNode acceptedRequest, Instant accepted, UUID callerKeyId) {
        boolean changed = false;
        if (apiKeyId == null && callerKeyId != null) {
            apiKeyId = callerKeyId;
            changed = true;
        }
        if (request == null && acceptedRequest != null) {
            request = acceptedRequest;
            changed = true;
        }
        if (accepted != null && (acceptedAt == null || accepted.isBefore(acceptedAt))) {
            acceptedAt = accepted;
            changed = true;
        }
        return changed;
    }

    /** Whether the key {@code keyId} made this call (an invoker key reads only those). */
    boolean madeBy(UUID keyId) {
        return keyId.equals(apiKeyId);
    }

    @Override
    public UUID getId() {
        return id;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void markNotNew() {
        this.isNew = false;
    }
}

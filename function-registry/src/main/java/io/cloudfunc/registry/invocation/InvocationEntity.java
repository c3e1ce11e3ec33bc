package io.cloudfunc.registry.invocation;

import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.InvocationView;
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

    @Transient
    private boolean isNew = true;

    protected InvocationEntity() {
    }

    InvocationEntity(UUID id, String functionName, int version, JsonNode request, Instant acceptedAt) {
        this.id = id;
        this.functionName = functionName;
        this.version = version;
        this.status = InvocationStatus.QUEUED;
        this.request = request;
        this.acceptedAt = acceptedAt;
    }

    /** QUEUED becomes RUNNING; any later state stays as it is (the completion may overtake this call). */
    boolean markRunning(Instant startedAt) {
        if (status != InvocationStatus.QUEUED) {
            return false;
        }
        this.status = InvocationStatus.RUNNING;
        this.startedAt = startedAt;
        return true;
    }

    /** Records the final state once; a repeated completion (a redelivered message) changes nothing. */
    boolean complete(InvocationCompleted completed, Instant startedAt, Instant finishedAt) {
        if (status.isFinal()) {
            return false;
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

    InvocationView toView() {
        return new InvocationView(id, functionName, version, status, startType, request, result, error, errorKind,
                logs, acceptedAt, startedAt, finishedAt, durationMs);
    }

    /**
     * Completes what a record created by an early completion could not know: the request and the time the platform
     * accepted the call. Returns whether anything changed.
     */
    boolean fillAcceptance(JsonNode acceptedRequest, Instant accepted) {
        boolean changed = false;
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

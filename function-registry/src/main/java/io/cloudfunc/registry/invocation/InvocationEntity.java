package io.cloudfunc.registry.invocation;

import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.InvocationView;
import io.cloudfunc.contracts.invocation.StartType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import tools.jackson.databind.JsonNode;

/**
 * One invocation, as read: records are written only by {@link InvocationRecordWriter} (SQL holds their state
 * rules), so the entity is immutable to Hibernate.
 */
@Entity
@Immutable
@Table(name = "invocations")
class InvocationEntity {

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

    protected InvocationEntity() {
    }

    InvocationView toView() {
        return new InvocationView(id, functionName, version, status, startType, request, result, error, errorKind,
                logs, acceptedAt, startedAt, finishedAt, durationMs, mode, attempt, deadLettered, nextAttemptAt);
    }

    /** Whether the key {@code keyId} made this call (an invoker key reads only those). */
    boolean madeBy(UUID keyId) {
        return keyId.equals(apiKeyId);
    }
}

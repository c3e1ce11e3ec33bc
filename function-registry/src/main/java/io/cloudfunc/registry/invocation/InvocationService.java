package io.cloudfunc.registry.invocation;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationView;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.registry.problem.DataExceptions;
import io.cloudfunc.registry.problem.RegistryProblems;
import io.cloudfunc.support.problem.Problems;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Keeps invocation records. Every write is idempotent, because its callers retry and their messages may be
 * redelivered: creating an existing record returns it, a completion is recorded once, and a completion for a record
 * that does not exist yet (its creation was lost or is late) creates it, so no outcome is lost.
 */
@Service
class InvocationService {

    private static final Logger log = LoggerFactory.getLogger(InvocationService.class);

    private final InvocationRepository invocations;
    private final TransactionTemplate transaction;

    InvocationService(InvocationRepository invocations, PlatformTransactionManager transactionManager) {
        this.invocations = invocations;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /** The record as it stands after a create, and whether this call created it. */
    record Recorded(InvocationView view, boolean created) {
    }

    Recorded create(CreateInvocation create) {
        if (create.id() == null) {
            throw Problems.invalidRequest("id is required");
        }
        checkFunction(create.functionName(), create.version());
        Instant acceptedAt = micros(create.acceptedAt() == null ? Instant.now() : create.acceptedAt());
        JsonNode request = NulCharacters.clean(create.request());
        return insertOnce(() -> {
            Optional<InvocationEntity> existing = invocations.findByIdForUpdate(create.id());
            if (existing.isPresent()) {
                // The completion may have arrived first (the scheduler records and publishes in parallel): the
                // record keeps its final state and gains the request and acceptance time only this call knows.
                InvocationEntity entity = existing.get();
                if (entity.fillAcceptance(request, acceptedAt)) {
                    entity = invocations.saveAndFlush(entity);
                }
                return new Recorded(entity.toView(), false);
            }
            InvocationEntity entity = new InvocationEntity(create.id(), create.functionName(), create.version(),
                    request, acceptedAt);
            return new Recorded(invocations.saveAndFlush(entity).toView(), true);
        });
    }

    void markRunning(UUID id, Instant startedAt) {
        Instant at = micros(startedAt == null ? Instant.now() : startedAt);
        transaction.executeWithoutResult(status -> {
            InvocationEntity entity = invocations.findByIdForUpdate(id)
                    .orElseThrow(() -> RegistryProblems.invocationNotFound(id));
            if (!entity.markRunning(at)) {
                log.debug("Invocation {} is past QUEUED; RUNNING mark ignored", id);
            }
        });
    }

    void complete(UUID id, InvocationCompleted received) {
        InvocationCompleted completed = withoutNul(received);
        if (completed.invocationId() != null && !completed.invocationId().equals(id)) {
            throw Problems.invalidRequest("invocationId " + completed.invocationId()
                    + " in the body does not match the id " + id + " in the path");
        }
        if (completed.status() == null || !completed.status().isFinal()) {
            throw Problems.invalidRequest(
                    "status must be a final state (SUCCEEDED, FAILED or TIMED_OUT), got " + completed.status());
        }
        Instant finishedAt = micros(completed.finishedAt() == null ? Instant.now() : completed.finishedAt());
        Instant startedAt = completed.startedAt() == null ? null : micros(completed.startedAt());
        insertOnce(() -> {
            Optional<InvocationEntity> existing = invocations.findByIdForUpdate(id);
            if (existing.isPresent()) {
                if (!existing.get().complete(completed, startedAt, finishedAt)) {
                    log.debug("Invocation {} already final; repeated completion ignored", id);
                }
                return null;
            }
            checkFunction(completed.functionName(), completed.version());
            log.debug("Invocation {} of {} completed before it was recorded; recording it now", id,
                    completed.functionName());
            InvocationEntity entity = new InvocationEntity(id, completed.functionName(), completed.version(), null,
                    startedAt == null ? finishedAt : startedAt);
            entity.complete(completed, startedAt, finishedAt);
            invocations.saveAndFlush(entity);
            return null;
        });
    }

    /** The completion as it can be stored: PostgreSQL takes no NUL character in JSONB or TEXT. */
    private static InvocationCompleted withoutNul(InvocationCompleted completed) {
        JsonNode result = NulCharacters.clean(completed.result());
        FunctionError error = NulCharacters.clean(completed.error());
        String logs = NulCharacters.clean(completed.logs());
        if (result == completed.result() && error == completed.error() && logs == completed.logs()) {
            return completed;
        }
        return new InvocationCompleted(completed.invocationId(), completed.functionName(), completed.version(),
                completed.status(), completed.startType(), result, error, completed.errorKind(), logs,
                completed.startedAt(), completed.finishedAt(), completed.durationMs());
    }

    @Transactional(readOnly = true)
    InvocationView get(UUID id) {
        return invocations.findById(id).map(InvocationEntity::toView)
                .orElseThrow(() -> RegistryProblems.invocationNotFound(id));
    }

    /**
     * Runs {@code work} in a transaction; when it lost a race to insert the same id, runs it once more, and then
     * finds the record the winner wrote.
     */
    private <T> T insertOnce(Supplier<T> work) {
        try {
            return transaction.execute(status -> work.get());
        } catch (DataIntegrityViolationException e) {
            if (DataExceptions.isDataException(e)) {
                throw e; // a value PostgreSQL cannot store: a retry would fail the same way
            }
            log.debug("Concurrent insert of one invocation, retrying: {}", e.getMessage());
            return transaction.execute(status -> work.get());
        }
    }

    private static void checkFunction(String functionName, int version) {
        if (!FunctionNames.isValid(functionName)) {
            throw Problems.invalidRequest("invalid function name '" + functionName + "': "
                    + FunctionNames.RULE);
        }
        if (version < 1) {
            throw Problems.invalidRequest("version must be 1 or more, got " + version);
        }
    }

    /** PostgreSQL keeps microseconds: answering with what is stored keeps every read of a record the same. */
    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}

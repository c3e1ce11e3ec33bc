package io.cloudfunc.contracts.messaging;

import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.InvocationStarted;
import io.cloudfunc.contracts.invocation.RetryScheduled;
import java.util.List;

/**
 * What happened to many invocations, as one message to {@link Topology#RECORDS_QUEUE} (type
 * {@value Topology#TYPE_INVOCATION_RECORDS}). The function-registry, the only writer of invocation records, applies
 * a whole message in one transaction and acks it after the commit. Every part is idempotent and order-independent:
 * a record never goes back from a final state, nor to an older attempt; a final state or a retry for an id not yet
 * recorded creates the record.
 *
 * @param created   calls accepted (QUEUED), with their event and acceptance time
 * @param started   attempts that started in a container (RUNNING)
 * @param retried   failed attempts of ASYNC calls that will run again (back to QUEUED)
 * @param completed final states
 */
public record InvocationRecords(
        List<CreateInvocation> created,
        List<InvocationStarted> started,
        List<RetryScheduled> retried,
        List<InvocationCompleted> completed) {

    public InvocationRecords {
        created = created == null ? List.of() : List.copyOf(created);
        started = started == null ? List.of() : List.copyOf(started);
        retried = retried == null ? List.of() : List.copyOf(retried);
        completed = completed == null ? List.of() : List.copyOf(completed);
    }

    public int size() {
        return created.size() + started.size() + retried.size() + completed.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }
}

package io.cloudfunc.containers.oneshot;

import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import tools.jackson.databind.JsonNode;

/**
 * How a one-shot call ended.
 *
 * @param status final status
 * @param result what the process printed, parsed, when it succeeded
 * @param error  why it did not succeed
 * @param kind   who is to blame for the failure
 * @param logs   what it wrote to stderr (capped)
 * @param nanos     time from starting the container to its exit
 * @param startType {@link StartType#COLD} when the call's container ran (every one-shot call is a cold start), null
 *                  when the call failed before one did (no image, no room, the engine refused it)
 */
public record OneShotResult(InvocationStatus status, JsonNode result, FunctionError error, ErrorKind kind,
                            String logs, long nanos, StartType startType) {

    /** The outcome of a call whose container ran. */
    static OneShotResult ran(InvocationStatus status, JsonNode result, FunctionError error, ErrorKind kind,
                             String logs, long nanos) {
        return new OneShotResult(status, result, error, kind, logs, nanos, StartType.COLD);
    }

    /** A call whose container ran and failed. */
    static OneShotResult failed(FunctionError error, ErrorKind kind, String logs, long nanos) {
        return ran(InvocationStatus.FAILED, null, error, kind, logs, nanos);
    }

    /** A call that failed before its container ran. */
    static OneShotResult notStarted(FunctionError error, ErrorKind kind, long nanos) {
        return new OneShotResult(InvocationStatus.FAILED, null, error, kind, "", nanos, null);
    }
}

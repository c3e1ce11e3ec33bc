package io.cloudfunc.containers.oneshot;

import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import tools.jackson.databind.JsonNode;

/**
 * How a one-shot call ended.
 *
 * @param status final status
 * @param result what the process printed, parsed, when it succeeded
 * @param error  why it did not succeed
 * @param kind   who is to blame for the failure
 * @param logs   what it wrote to stderr (capped)
 * @param nanos  time from starting the container to its exit
 */
public record OneShotResult(InvocationStatus status, JsonNode result, FunctionError error, ErrorKind kind,
                            String logs, long nanos) {

    static OneShotResult failed(FunctionError error, ErrorKind kind, String logs, long nanos) {
        return new OneShotResult(InvocationStatus.FAILED, null, error, kind, logs, nanos);
    }
}

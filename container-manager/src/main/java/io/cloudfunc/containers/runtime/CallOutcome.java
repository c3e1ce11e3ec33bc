package io.cloudfunc.containers.runtime;

import io.cloudfunc.contracts.invocation.FunctionError;
import tools.jackson.databind.JsonNode;

/**
 * What the runtime answered to one {@code invoke}: the result, or the error the function raised; with the logs
 * the call wrote either way.
 */
public record CallOutcome(boolean ok, JsonNode result, FunctionError error, String logs) {
}

package io.cloudfunc.containers.runtime;

import io.cloudfunc.contracts.invocation.FunctionError;
import tools.jackson.databind.JsonNode;

/**
 * What the runtime answered to one {@code invoke}: the result, or the error the function raised; with the logs
 * the call wrote either way.
 *
 * @param answerBytes size of the runtime's answer frame (result, logs and envelope): an upper bound of the result's
 *                    size that costs nothing to know
 */
public record CallOutcome(boolean ok, JsonNode result, FunctionError error, String logs, int answerBytes) {
}

package io.cloudfunc.contracts.function;

import java.util.Map;

/**
 * JSON deploy of a one-file function: {@code code} is the source of the handler module (for python,
 * {@code function.py} when the handler is {@code function.handler}). Other fields as in {@link FunctionSpec}.
 */
public record InlineDeployRequest(
        String name,
        String runtime,
        String handler,
        String code,
        Long timeoutMs,
        Integer memoryMb,
        Long idleTtlMs,
        Map<String, String> env) {

    public FunctionSpec spec() {
        return new FunctionSpec(name, runtime, handler, timeoutMs, memoryMb, idleTtlMs, env);
    }
}

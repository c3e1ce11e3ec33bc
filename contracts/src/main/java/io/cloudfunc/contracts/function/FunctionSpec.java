package io.cloudfunc.contracts.function;

import java.util.Map;

/**
 * Metadata of a deploy: the {@code metadata} part of a multipart deploy, and the body the gateway forwards to the
 * registry. Absent numbers take the platform defaults (timeout 30 s, memory 128 MB, idle TTL 60 s).
 *
 * @param name      unique name: lowercase letters, digits and dashes, at most 63 characters
 * @param runtime   runtime the code runs on, e.g. {@code python}
 * @param handler   {@code module.function}, default {@code function.handler}
 * @param timeoutMs how long one call may run before its container is killed
 * @param memoryMb  memory limit of each container of the function
 * @param idleTtlMs how long an idle warm container is kept, reset by every call
 * @param env       environment variables given to the function
 */
public record FunctionSpec(
        String name,
        String runtime,
        String handler,
        Long timeoutMs,
        Integer memoryMb,
        Long idleTtlMs,
        Map<String, String> env) {
}

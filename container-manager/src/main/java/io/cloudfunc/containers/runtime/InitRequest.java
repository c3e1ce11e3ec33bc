package io.cloudfunc.containers.runtime;

import java.util.Map;

/**
 * The {@code init} message: which handler to load from where, with which environment.
 *
 * @param concurrency calls the container serves at once; above 1 the runtime accepts that many connections in all,
 *                    one per call slot (see docs/runtime-contract.md)
 */
public record InitRequest(
        String handler,
        String codeDir,
        Map<String, String> env,
        String functionName,
        int version,
        int memoryMb,
        long timeoutMs,
        int concurrency) {
}

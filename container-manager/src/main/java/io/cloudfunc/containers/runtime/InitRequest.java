package io.cloudfunc.containers.runtime;

import java.util.Map;

/** The {@code init} message: which handler to load from where, with which environment. */
public record InitRequest(
        String handler,
        String codeDir,
        Map<String, String> env,
        String functionName,
        int version,
        int memoryMb,
        long timeoutMs) {
}

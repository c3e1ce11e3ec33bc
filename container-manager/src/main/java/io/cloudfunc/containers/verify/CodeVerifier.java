package io.cloudfunc.containers.verify;

import io.cloudfunc.containers.code.CodeCache;
import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.containers.pool.Lease;
import io.cloudfunc.containers.pool.NoContainerException;
import io.cloudfunc.containers.pool.RemovalReason;
import io.cloudfunc.contracts.function.CodeCheck;
import io.cloudfunc.contracts.function.CodeCheckResult;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Loads a deploy's code once, the way a call's container would (a prewarmed container of the runtime given the code,
 * or a new one), and reports the runtime's answer to {@code init}. The container has run user code that is not a
 * deployed version: it is removed, never handed to a call.
 */
@Component
class CodeVerifier {

    private static final Logger log = LoggerFactory.getLogger(CodeVerifier.class);
    private static final int MAX_INSTANCES = 1_000;
    /**
     * The name a check's container runs under (labels, {@code docker ps}, the pool's log lines and gauges): not the
     * function's, so that nothing looking for the function's containers finds one that loaded code not deployed.
     */
    static final String CHECK_NAME = "code-check";

    /**
     * Checks get versions below zero, which no deployed version has, each its own: the pool never gives a check's
     * container to a call, nor one check's container to another check.
     */
    private final AtomicInteger checks = new AtomicInteger();
    private final ContainerPool pool;
    private final CodeCache codeCache;

    CodeVerifier(ContainerPool pool, CodeCache codeCache) {
        this.pool = pool;
        this.codeCache = codeCache;
    }

    /**
     * @param code the unpacked archive (in the code cache, where the deployed version's containers will find it)
     * @throws NoContainerException of kind {@link ErrorKind#PLATFORM}: no container could be had to check the code
     */
    CodeCheckResult verify(String functionName, CodeCheck check, String codeSha256, long codeSize, Path code)
            throws NoContainerException {
        long start = System.nanoTime();
        int version = -checks.incrementAndGet();
        FunctionVersionView view = new FunctionVersionView(CHECK_NAME, version, check.runtime(), check.handler(),
                0, check.memoryMb() == null ? 0 : check.memoryMb(), 0, check.env(), 0, MAX_INSTANCES, 1, check.network(),
                check.ociRuntime(), null, 0, 0, codeSha256, codeSize, Instant.now(), List.of());
        Lease lease;
        try {
            lease = pool.acquire(view, UUID.randomUUID(), () -> code);
        } catch (NoContainerException e) {
            if (e.kind() != ErrorKind.FUNCTION) {
                throw e;
            }
            log.info("Code check of {} ({} {}): rejected, {}: {}", functionName, check.runtime(), check.handler(),
                    e.error().type(), e.error().message());
            return CodeCheckResult.rejected(withoutContainerPaths(e.error()));
        }
        // Removing takes ~100 ms of Docker's time: the deploy need not wait for it.
        Thread.ofVirtual().name("code-check-" + lease.container().key())
                .start(() -> pool.discard(lease, RemovalReason.VERIFIED));
        log.info("Code check of {} ({} {}): loaded in container {} ({} start) in {} ms", functionName,
                check.runtime(), check.handler(), lease.container().key(), lease.startType(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return CodeCheckResult.loaded();
    }

    /**
     * The runtime's error without the container's paths, which the deploy's answer must not show: the code's files
     * relative to the code directory, lines naming the runtime's own files left out (Node's "Require stack" names
     * both).
     */
    static FunctionError withoutContainerPaths(FunctionError error) {
        return new FunctionError(error.type(), clean(error.message()),
                error.trace().stream().map(CodeVerifier::clean).filter(line -> !line.isBlank()).toList());
    }

    private static String clean(String text) {
        if (text == null) {
            return null;
        }
        return text.lines().filter(line -> !line.contains(RUNTIME_FILES))
                .map(line -> line.replace(CODE_DIR, "")).collect(Collectors.joining("\n"));
    }

    private static final String CODE_DIR = "/cloudfunc/code/";
    private static final String RUNTIME_FILES = "/opt/cloudfunc/";
}

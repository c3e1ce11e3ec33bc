package io.cloudfunc.contracts.function;

import java.util.Map;

/**
 * Metadata of a deploy: the {@code metadata} part of a multipart deploy, and the body the gateway forwards to the
 * registry. Absent values take the platform defaults (timeout 30 s, memory 128 MB, idle TTL 60 s, 0 to 10
 * instances of concurrency 1, no network, the platform's OCI runtime, no retries).
 *
 * @param name           unique name: {@link FunctionNames#PATTERN}, at most 63 characters
 * @param runtime        runtime the code runs on: {@code python}, {@code node}, {@code java} or {@code image}
 * @param handler        what to call, e.g. {@code function.handler}; its form depends on the runtime
 * @param timeoutMs      how long one call may run before its container is killed
 * @param memoryMb       memory limit of each container of the function
 * @param cpuMillis      CPU limit of each container of the function, in thousandths of a CPU (100 = a tenth of a
 *                       CPU, 1500 = one and a half); null means the platform's default ({@code containers.limits.cpus},
 *                       one CPU)
 * @param idleTtlMs      how long an idle warm container is kept, reset by every call
 * @param env            environment variables given to the function
 * @param minInstances   containers kept warm at all times
 * @param maxInstances   most containers the function may have at once
 * @param concurrency    calls one container serves at the same time
 * @param network        {@code none} (default) or {@code outbound}: a dedicated network with outbound access
 * @param ociRuntime     OCI runtime Docker runs the containers with ({@code runc}, {@code runsc}, ...); null means
 *                       the platform's default
 * @param image          the image of a function of runtime {@code image}
 * @param maxRetries     how many times a failed asynchronous call is retried
 * @param retryBackoffMs wait before the first retry, doubled for each next one
 * @param secrets        secret environment variables: encrypted at rest, never shown by any read of the API (only
 *                       their names are), given to the function's process only. Left out of {@link #toString()}.
 * @param httpAccess     who may call the function as an HTTP function ({@code /fn/{name}}): {@link HttpAccess#KEY}
 *                       (an API key, the default), {@link HttpAccess#PUBLIC} (anyone) or {@link HttpAccess#WEBHOOK}
 *                       (a request signed with {@code webhookSecret}); null keeps the function's current one
 * @param webhookSecret  the key of the webhook signature (HMAC-SHA256 of the body); encrypted at rest, never shown,
 *                       left out of {@link #toString()}; null keeps the current one
 * @param deployDigest   what the deploying tool says it deployed, as a digest it computed (the CLI's
 *                       {@code cloudfunc.yml}: the folder's files and the declared configuration): stored with the
 *                       version as it is and shown as the function's, never interpreted, so that a later deploy can
 *                       tell whether anything changed; null for none. At most {@link #DEPLOY_DIGEST_MAX_LENGTH}
 *                       characters of {@code [A-Za-z0-9:._-]}
 */
public record FunctionSpec(
        String name,
        String runtime,
        String handler,
        Long timeoutMs,
        Integer memoryMb,
        Integer cpuMillis,
        Long idleTtlMs,
        Map<String, String> env,
        Integer minInstances,
        Integer maxInstances,
        Integer concurrency,
        String network,
        String ociRuntime,
        String image,
        Integer maxRetries,
        Long retryBackoffMs,
        Map<String, String> secrets,
        String httpAccess,
        String webhookSecret,
        String deployDigest) {

    /** The longest {@link #deployDigest()}: room for an algorithm's name and a SHA-512 in hex. */
    public static final int DEPLOY_DIGEST_MAX_LENGTH = 200;

    /** A deploy without a deploy digest. */
    public FunctionSpec(String name, String runtime, String handler, Long timeoutMs, Integer memoryMb,
            Integer cpuMillis, Long idleTtlMs, Map<String, String> env, Integer minInstances, Integer maxInstances,
            Integer concurrency, String network, String ociRuntime, String image, Integer maxRetries,
            Long retryBackoffMs, Map<String, String> secrets, String httpAccess, String webhookSecret) {
        this(name, runtime, handler, timeoutMs, memoryMb, cpuMillis, idleTtlMs, env, minInstances, maxInstances,
                concurrency, network, ociRuntime, image, maxRetries, retryBackoffMs, secrets, httpAccess,
                webhookSecret, null);
    }

    /** A deploy that leaves the HTTP access as it is (the default for a new function: an API key). */
    public FunctionSpec(String name, String runtime, String handler, Long timeoutMs, Integer memoryMb,
            Integer cpuMillis, Long idleTtlMs, Map<String, String> env, Integer minInstances, Integer maxInstances,
            Integer concurrency, String network, String ociRuntime, String image, Integer maxRetries,
            Long retryBackoffMs, Map<String, String> secrets) {
        this(name, runtime, handler, timeoutMs, memoryMb, cpuMillis, idleTtlMs, env, minInstances, maxInstances,
                concurrency, network, ociRuntime, image, maxRetries, retryBackoffMs, secrets, null, null);
    }

    /** A deploy without a CPU limit of its own (the platform's default). */
    public FunctionSpec(String name, String runtime, String handler, Long timeoutMs, Integer memoryMb, Long idleTtlMs,
            Map<String, String> env, Integer minInstances, Integer maxInstances, Integer concurrency, String network,
            String ociRuntime, String image, Integer maxRetries, Long retryBackoffMs, Map<String, String> secrets) {
        this(name, runtime, handler, timeoutMs, memoryMb, null, idleTtlMs, env, minInstances, maxInstances,
                concurrency, network, ociRuntime, image, maxRetries, retryBackoffMs, secrets);
    }

    /** A deploy with no secrets and the platform's CPU limit. */
    public FunctionSpec(String name, String runtime, String handler, Long timeoutMs, Integer memoryMb, Long idleTtlMs,
            Map<String, String> env, Integer minInstances, Integer maxInstances, Integer concurrency, String network,
            String ociRuntime, String image, Integer maxRetries, Long retryBackoffMs) {
        this(name, runtime, handler, timeoutMs, memoryMb, null, idleTtlMs, env, minInstances, maxInstances,
                concurrency, network, ociRuntime, image, maxRetries, retryBackoffMs, null);
    }

    /** A deploy that leaves scaling, isolation and retries to the defaults. */
    public FunctionSpec(String name, String runtime, String handler, Long timeoutMs, Integer memoryMb, Long idleTtlMs,
            Map<String, String> env) {
        this(name, runtime, handler, timeoutMs, memoryMb, null, idleTtlMs, env, null, null, null, null, null, null,
                null, null, null);
    }

    /** This deploy with {@code digest} as its {@link #deployDigest()}. */
    public FunctionSpec withDeployDigest(String digest) {
        return new FunctionSpec(name, runtime, handler, timeoutMs, memoryMb, cpuMillis, idleTtlMs, env, minInstances,
                maxInstances, concurrency, network, ociRuntime, image, maxRetries, retryBackoffMs, secrets, httpAccess,
                webhookSecret, digest);
    }

    /** Names the secrets without their values, so that a logged spec never leaks one. */
    @Override
    public String toString() {
        return "FunctionSpec[name=" + name + ", runtime=" + runtime + ", handler=" + handler + ", timeoutMs="
                + timeoutMs + ", memoryMb=" + memoryMb + ", cpuMillis=" + cpuMillis + ", idleTtlMs=" + idleTtlMs
                + ", env=" + env
                + ", minInstances=" + minInstances + ", maxInstances=" + maxInstances + ", concurrency=" + concurrency
                + ", network=" + network + ", ociRuntime=" + ociRuntime + ", image=" + image + ", maxRetries="
                + maxRetries + ", retryBackoffMs=" + retryBackoffMs + ", secrets="
                + (secrets == null ? null : secrets.keySet()) + ", httpAccess=" + httpAccess + ", webhookSecret="
                + (webhookSecret == null ? null : "(set)") + ", deployDigest=" + deployDigest + "]";
    }
}

package io.cloudfunc.contracts.problem;

import java.net.URI;

/**
 * Stable {@code type} URIs of the RFC 9457 problem details CloudFunc answers with. Listed in docs/api.md.
 */
public final class ProblemTypes {

    private static final String BASE = "urn:cloudfunc:problem:";

    /** 400: the request is malformed or breaks a rule (name, runtime, zip layout, JSON). */
    public static final URI INVALID_REQUEST = URI.create(BASE + "invalid-request");
    /** 400: the uploaded archive is not a usable zip (corrupt, path traversal, handler file missing). */
    public static final URI INVALID_ARCHIVE = URI.create(BASE + "invalid-archive");
    /**
     * 400: a deploy's code did not load: its runtime, given the code once in a throwaway container, answered
     * {@code init} with an error (missing handler, syntax error, import error); the problem carries the runtime's
     * {@code errorType}, {@code errorMessage} and {@code trace}. Nothing was stored.
     */
    public static final URI CODE_REJECTED = URI.create(BASE + "code-rejected");
    /**
     * 400: a deploy's dependencies (a {@code requirements.txt}, a {@code package.json} without {@code node_modules},
     * seed 002's {@code dependencies}) did not install: the problem quotes the tool's error lines in {@code log}.
     * Nothing was stored.
     */
    public static final URI BUILD_FAILED = URI.create(BASE + "build-failed");
    /** 400: a deploy's dependency build ran past its time limit and was stopped. Nothing was stored. */
    public static final URI BUILD_TIMED_OUT = URI.create(BASE + "build-timed-out");
    /** 400: the runtime is not one the platform offers. */
    public static final URI UNSUPPORTED_RUNTIME = URI.create(BASE + "unsupported-runtime");
    /** 401: no API key, or one that is unknown, revoked or expired ({@code WWW-Authenticate: Bearer}). */
    public static final URI UNAUTHORIZED = URI.create(BASE + "unauthorized");
    /** 403: the API key's role does not allow the call. */
    public static final URI FORBIDDEN = URI.create(BASE + "forbidden");
    /** 404: no API key by that id. */
    public static final URI API_KEY_NOT_FOUND = URI.create(BASE + "api-key-not-found");
    /** 409: the key is the last admin key that can be used, and is not revoked. */
    public static final URI LAST_ADMIN_KEY = URI.create(BASE + "last-admin-key");
    /** 429: the API key made more requests than its rate limit allows ({@code Retry-After} says when to retry). */
    public static final URI RATE_LIMITED = URI.create(BASE + "rate-limited");
    /** 404: no function by that name. */
    public static final URI FUNCTION_NOT_FOUND = URI.create(BASE + "function-not-found");
    /** 404: the function exists but has no alias by that name. */
    public static final URI ALIAS_NOT_FOUND = URI.create(BASE + "alias-not-found");
    /** 404: the function exists but has no schedule by that name. */
    public static final URI SCHEDULE_NOT_FOUND = URI.create(BASE + "schedule-not-found");
    /** 409: the function already has a schedule by that name. */
    public static final URI SCHEDULE_EXISTS = URI.create(BASE + "schedule-exists");
    /** 404: the function exists but has no queue trigger by that name. */
    public static final URI TRIGGER_NOT_FOUND = URI.create(BASE + "trigger-not-found");
    /** 409: the function already has a queue trigger by that name. */
    public static final URI TRIGGER_EXISTS = URI.create(BASE + "trigger-exists");
    /** 404: no warm container (instance) by that id on any container-manager. */
    public static final URI INSTANCE_NOT_FOUND = URI.create(BASE + "instance-not-found");
    /** 404: no live node by that id ({@code POST /nodes/{id}/drain}). */
    public static final URI NODE_NOT_FOUND = URI.create(BASE + "node-not-found");
    /** 409: the instance is serving a call and is not stopped. */
    public static final URI INSTANCE_BUSY = URI.create(BASE + "instance-busy");
    /** 404: no invocation by that id. */
    public static final URI INVOCATION_NOT_FOUND = URI.create(BASE + "invocation-not-found");
    /** 404: no such path. */
    public static final URI NOT_FOUND = URI.create(BASE + "not-found");
    /** 405: the method is not allowed on that path. */
    public static final URI METHOD_NOT_ALLOWED = URI.create(BASE + "method-not-allowed");
    /** 413: the body is larger than the configured limit. */
    public static final URI PAYLOAD_TOO_LARGE = URI.create(BASE + "payload-too-large");
    /** 415: the content type is not accepted on that endpoint. */
    public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create(BASE + "unsupported-media-type");
    /** 502: the function raised an error; the problem carries it. */
    public static final URI FUNCTION_ERROR = URI.create(BASE + "function-error");
    /** 504: the function did not finish within its timeout. */
    public static final URI FUNCTION_TIMEOUT = URI.create(BASE + "function-timeout");
    /** 404: no image by that reference on the platform's Docker engine (upload it with {@code POST /images}). */
    public static final URI IMAGE_NOT_FOUND = URI.create(BASE + "image-not-found");
    /** 400: an image upload that is not a {@code docker save} archive, or one the engine cannot load. */
    public static final URI INVALID_IMAGE_ARCHIVE = URI.create(BASE + "invalid-image-archive");
    /** 503: the platform could not run the call (a service, the broker or Docker failed). */
    public static final URI PLATFORM_ERROR = URI.create(BASE + "platform-error");
    /**
     * 503 or 504: the call was handed to the platform but its outcome is not known to this answer (no reply within the
     * wait, or the broker connection dropped while waiting); the problem carries the {@code invocationId}, whose
     * record tells whether it ran. Retrying such a call may run it twice, unlike a {@link #PLATFORM_ERROR}, which is
     * only answered for a call that was not taken.
     */
    public static final URI OUTCOME_UNKNOWN = URI.create(BASE + "outcome-unknown");

    /**
     * 409: a call with the same {@code Idempotency-Key} is still in progress (or not yet recorded); the problem
     * carries its {@code invocationId}, and a retry after {@code Retry-After} gets its outcome.
     */
    public static final URI IDEMPOTENCY_KEY_IN_USE = URI.create(BASE + "idempotency-key-in-use");
    /**
     * 422: the {@code Idempotency-Key} was used, within its window, for another request (another function, mode,
     * callback or event).
     */
    public static final URI IDEMPOTENCY_KEY_REUSED = URI.create(BASE + "idempotency-key-reused");

    private ProblemTypes() {
    }
}

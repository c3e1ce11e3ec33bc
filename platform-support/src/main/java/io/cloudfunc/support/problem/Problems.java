package io.cloudfunc.support.problem;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.problem.ProblemTypes;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Builds problem details with CloudFunc's stable types and titles: one title per type, in one style (sentence case,
 * "Not found", never Spring's "Not Found"), wherever the problem arises.
 */
public final class Problems {

    private static final Map<URI, String> TITLES = Map.ofEntries(
            Map.entry(ProblemTypes.INVALID_REQUEST, "Invalid request"),
            Map.entry(ProblemTypes.INVALID_ARCHIVE, "Invalid archive"),
            Map.entry(ProblemTypes.CODE_REJECTED, "Code rejected"),
            Map.entry(ProblemTypes.UNSUPPORTED_RUNTIME, "Unsupported runtime"),
            Map.entry(ProblemTypes.FUNCTION_NOT_FOUND, "Function not found"),
            Map.entry(ProblemTypes.ALIAS_NOT_FOUND, "Alias not found"),
            Map.entry(ProblemTypes.SCHEDULE_NOT_FOUND, "Schedule not found"),
            Map.entry(ProblemTypes.SCHEDULE_EXISTS, "Schedule exists"),
            Map.entry(ProblemTypes.TRIGGER_NOT_FOUND, "Trigger not found"),
            Map.entry(ProblemTypes.TRIGGER_EXISTS, "Trigger exists"),
            Map.entry(ProblemTypes.INSTANCE_NOT_FOUND, "Instance not found"),
            Map.entry(ProblemTypes.NODE_NOT_FOUND, "Node not found"),
            Map.entry(ProblemTypes.INSTANCE_BUSY, "Instance busy"),
            Map.entry(ProblemTypes.INVOCATION_NOT_FOUND, "Invocation not found"),
            Map.entry(ProblemTypes.NOT_FOUND, "Not found"),
            Map.entry(ProblemTypes.METHOD_NOT_ALLOWED, "Method not allowed"),
            Map.entry(ProblemTypes.PAYLOAD_TOO_LARGE, "Payload too large"),
            Map.entry(ProblemTypes.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
            Map.entry(ProblemTypes.FUNCTION_ERROR, "Function error"),
            Map.entry(ProblemTypes.FUNCTION_TIMEOUT, "Function timed out"),
            Map.entry(ProblemTypes.PLATFORM_ERROR, "Platform error"),
            Map.entry(ProblemTypes.OUTCOME_UNKNOWN, "Outcome unknown"),
            Map.entry(ProblemTypes.IMAGE_NOT_FOUND, "Image not found"),
            Map.entry(ProblemTypes.INVALID_IMAGE_ARCHIVE, "Invalid image archive"),
            Map.entry(ProblemTypes.UNAUTHORIZED, "Unauthorized"),
            Map.entry(ProblemTypes.FORBIDDEN, "Forbidden"),
            Map.entry(ProblemTypes.API_KEY_NOT_FOUND, "API key not found"),
            Map.entry(ProblemTypes.LAST_ADMIN_KEY, "Last admin key"),
            Map.entry(ProblemTypes.RATE_LIMITED, "Too many requests"),
            Map.entry(ProblemTypes.IDEMPOTENCY_KEY_IN_USE, "Idempotency key in use"),
            Map.entry(ProblemTypes.IDEMPOTENCY_KEY_REUSED, "Idempotency key reused"),
            Map.entry(ProblemTypes.BUILD_FAILED, "Dependency build failed"),
            Map.entry(ProblemTypes.BUILD_TIMED_OUT, "Dependency build timed out"));

    private Problems() {
    }

    /**
     * A problem of the given type, titled after it (for a type without a title, Spring's reason phrase in sentence
     * case).
     */
    public static ProblemDetail of(HttpStatusCode status, URI type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(TITLES.getOrDefault(type, sentenceCase(problem.getTitle())));
        return problem;
    }

    /** The title of a CloudFunc problem type, or null for a type that is not one. */
    public static String titleFor(URI type) {
        return type == null ? null : TITLES.get(type);
    }

    /** {@code Not found} for {@code Not Found}: the style of every title. */
    public static String sentenceCase(String title) {
        if (title == null || title.isEmpty()) {
            return title;
        }
        return title.charAt(0) + title.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    /** 400: the request is malformed or breaks a rule. */
    public static ProblemException invalidRequest(String detail) {
        return new ProblemException(of(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, detail));
    }

    /** 400: the code archive is not usable. */
    public static ProblemException invalidArchive(String detail) {
        return new ProblemException(of(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_ARCHIVE, detail));
    }

    /**
     * 400: the deploy's code did not load in its runtime; the runtime's own error type, message and trace (frames of
     * the user's code) go in {@code errorType}, {@code errorMessage} and {@code trace}, as in a function-error.
     */
    public static ProblemException codeRejected(String functionName, String errorType, String errorMessage,
            java.util.List<String> trace) {
        return new ProblemException(of(HttpStatus.BAD_REQUEST, ProblemTypes.CODE_REJECTED, "The code of "
                + functionName + " did not load: " + errorType + ": " + errorMessage
                + " (nothing was deployed; ?verify=false, or cloudfunc deploy --no-verify, stores it unchecked)"))
                .with("functionName", functionName).with("errorType", errorType)
                .with("errorMessage", errorMessage).with("trace", trace == null ? java.util.List.of() : trace);
    }

    /**
     * 400: a deploy's dependencies did not install. {@code detail} quotes the tool's error lines (the last ones it
     * wrote, which say why); {@code log} carries them one per entry.
     */
    public static ProblemException buildFailed(String functionName, String tool, java.util.List<String> errorLines) {
        String quoted = String.join("\n", errorLines);
        return new ProblemException(of(HttpStatus.BAD_REQUEST, ProblemTypes.BUILD_FAILED, "The dependencies of "
                + functionName + " did not install (" + tool + " failed; nothing was deployed)"
                + (quoted.isEmpty() ? "." : ":\n" + quoted)))
                .with("functionName", functionName).with("log", errorLines);
    }

    /** 400: a deploy's dependency build ran past its time limit and was stopped. */
    public static ProblemException buildTimedOut(String functionName, java.time.Duration limit,
            java.util.List<String> lastLines) {
        return new ProblemException(of(HttpStatus.BAD_REQUEST, ProblemTypes.BUILD_TIMED_OUT,
                "The dependency build of " + functionName + " ran past its time limit of " + limit.toSeconds() + " s and was stopped (nothing"
                + " was deployed)."))
                .with("functionName", functionName).with("log", lastLines);
    }

    /**
     * An image the platform's Docker engine does not have, naming it in {@code image}: 404 where it is looked up,
     * 400 where a deploy refers to it.
     */
    public static ProblemException imageNotFound(HttpStatusCode status, String image) {
        return new ProblemException(of(status, ProblemTypes.IMAGE_NOT_FOUND, "Image not found: " + image
                + ". Upload it with cloudfunc images upload (POST /images) first.")).with("image", image);
    }

    /** 400: an image upload the engine cannot load. */
    public static ProblemException invalidImageArchive(String detail) {
        return new ProblemException(of(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_IMAGE_ARCHIVE, detail));
    }

    /** 413: a body or archive is larger than its limit. */
    public static ProblemException payloadTooLarge(String detail) {
        return new ProblemException(of(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE, detail));
    }

    /** 415: the content type is not accepted here. */
    public static ProblemException unsupportedMediaType(String detail) {
        return new ProblemException(of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ProblemTypes.UNSUPPORTED_MEDIA_TYPE, detail));
    }

    /** 401: no valid API key came with the request. */
    public static ProblemException unauthorized(String detail) {
        return new ProblemException(of(HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHORIZED, detail));
    }

    /** 403: the API key's role does not allow the call. */
    public static ProblemException forbidden(String detail) {
        return new ProblemException(of(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, detail));
    }

    /** 400 for a function name that breaks {@link FunctionNames#RULE}, naming it in {@code functionName}. */
    public static ProblemException invalidName(String name) {
        return invalidRequest("Invalid function name '" + name + "': " + FunctionNames.RULE + ".")
                .with("functionName", name);
    }

    /** 503: something the platform depends on (registry, broker) failed; {@code service} names the part that failed. */
    public static ProblemException platformError(String component, String detail) {
        return new ProblemException(of(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.PLATFORM_ERROR, detail))
                .with("service", component);
    }

    /** Gives a problem Spring MVC made itself (unknown path, wrong method, ...) our type and title. */
    public static void retype(ProblemDetail problem, int status) {
        URI type = typeFor(status);
        problem.setType(type);
        problem.setTitle(TITLES.get(type));
    }

    /** The stable type for a status Spring MVC or the servlet container chose itself. */
    public static URI typeFor(int status) {
        return switch (status) {
            case 401 -> ProblemTypes.UNAUTHORIZED;
            case 403 -> ProblemTypes.FORBIDDEN;
            case 404 -> ProblemTypes.NOT_FOUND;
            case 405 -> ProblemTypes.METHOD_NOT_ALLOWED;
            case 413 -> ProblemTypes.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemTypes.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ProblemTypes.RATE_LIMITED;
            default -> status >= 500 ? ProblemTypes.PLATFORM_ERROR : ProblemTypes.INVALID_REQUEST;
        };
    }
}

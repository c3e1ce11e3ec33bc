package io.cloudfunc.support.problem;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.problem.ProblemTypes;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds problem details with CloudFunc's stable types and titles. */
public final class Problems {

    private static final Map<URI, String> TITLES = Map.ofEntries(
            Map.entry(ProblemTypes.INVALID_REQUEST, "Invalid request"),
            Map.entry(ProblemTypes.INVALID_ARCHIVE, "Invalid archive"),
            Map.entry(ProblemTypes.UNSUPPORTED_RUNTIME, "Unsupported runtime"),
            Map.entry(ProblemTypes.FUNCTION_NOT_FOUND, "Function not found"),
            Map.entry(ProblemTypes.INVOCATION_NOT_FOUND, "Invocation not found"),
            Map.entry(ProblemTypes.NOT_FOUND, "Not found"),
            Map.entry(ProblemTypes.METHOD_NOT_ALLOWED, "Method not allowed"),
            Map.entry(ProblemTypes.PAYLOAD_TOO_LARGE, "Payload too large"),
            Map.entry(ProblemTypes.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
            Map.entry(ProblemTypes.FUNCTION_ERROR, "Function error"),
            Map.entry(ProblemTypes.FUNCTION_TIMEOUT, "Function timed out"),
            Map.entry(ProblemTypes.PLATFORM_ERROR, "Platform error"));

    private Problems() {
    }

    /** A problem of the given type, titled after it (Spring's reason phrase for a type without a title). */
    public static ProblemDetail of(HttpStatusCode status, URI type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(TITLES.getOrDefault(type, problem.getTitle()));
        return problem;
    }

    /** 400: the request is malformed or breaks a rule. */
    public static ProblemException invalidRequest(String detail) {
        return new ProblemException(of(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, detail));
    }

    /** 400: the code archive is not usable. */
    public static ProblemException invalidArchive(String detail) {
        return new ProblemException(of(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_ARCHIVE, detail));
    }

    /** 413: a body or archive is larger than its limit. */
    public static ProblemException payloadTooLarge(String detail) {
        return new ProblemException(of(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE, detail));
    }

    /** 415: the content type is not accepted here. */
    public static ProblemException unsupportedMediaType(String detail) {
        return new ProblemException(of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ProblemTypes.UNSUPPORTED_MEDIA_TYPE, detail));
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
            case 404 -> ProblemTypes.NOT_FOUND;
            case 405 -> ProblemTypes.METHOD_NOT_ALLOWED;
            case 413 -> ProblemTypes.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemTypes.UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 500 ? ProblemTypes.PLATFORM_ERROR : ProblemTypes.INVALID_REQUEST;
        };
    }
}

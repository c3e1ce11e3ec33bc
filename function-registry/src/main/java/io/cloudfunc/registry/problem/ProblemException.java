package io.cloudfunc.registry.problem;

import io.cloudfunc.contracts.problem.ProblemTypes;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A failure the caller is meant to see, with everything its problem detail needs. Thrown through the
 * static factories, so that each kind of problem has one type, status and title wherever it arises.
 */
public class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final URI type;
    private final String title;
    private final Map<String, Object> properties = new LinkedHashMap<>();

    public ProblemException(HttpStatus status, URI type, String title, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public static ProblemException invalidRequest(String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request", detail);
    }

    public static ProblemException invalidArchive(String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_ARCHIVE, "Invalid code archive",
                detail);
    }

    public static ProblemException payloadTooLarge(String detail) {
        return new ProblemException(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE, "Payload too large",
                detail);
    }

    public static ProblemException unsupportedRuntime(String runtime, Iterable<String> supported) {
        return new ProblemException(HttpStatus.BAD_REQUEST, ProblemTypes.UNSUPPORTED_RUNTIME, "Unsupported runtime",
                "runtime '" + runtime + "' is not supported; supported runtimes: " + String.join(", ", supported))
                .with("runtime", runtime);
    }

    public static ProblemException functionNotFound(String functionName) {
        return new ProblemException(HttpStatus.NOT_FOUND, ProblemTypes.FUNCTION_NOT_FOUND, "Function not found",
                "no function named '" + functionName + "'")
                .with("functionName", functionName);
    }

    public static ProblemException versionNotFound(String functionName, int version) {
        return new ProblemException(HttpStatus.NOT_FOUND, ProblemTypes.FUNCTION_NOT_FOUND,
                "Function version not found", "function '" + functionName + "' has no version " + version)
                .with("functionName", functionName)
                .with("version", version);
    }

    public static ProblemException invocationNotFound(UUID invocationId) {
        return new ProblemException(HttpStatus.NOT_FOUND, ProblemTypes.INVOCATION_NOT_FOUND, "Invocation not found",
                "no invocation with id " + invocationId)
                .with("invocationId", invocationId);
    }

    /** A size limit as people write it: {@code 50MB}, {@code 512KB}, or bytes when neither fits. */
    public static String describeSize(long bytes) {
        if (bytes > 0 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + "MB";
        }
        if (bytes > 0 && bytes % 1024 == 0) {
            return bytes / 1024 + "KB";
        }
        return bytes + " bytes";
    }

    /** Adds an extension member to the problem detail, e.g. {@code functionName}. */
    public ProblemException with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    public HttpStatus status() {
        return status;
    }

    public URI type() {
        return type;
    }

    public ProblemDetail toProblemDetail() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, getMessage());
        problem.setType(type);
        problem.setTitle(title);
        properties.forEach(problem::setProperty);
        return problem;
    }
}

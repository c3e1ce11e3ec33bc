package io.cloudfunc.registry.problem;

import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The registry's own problems, in its words; the common ones ({@link Problems#invalidRequest},
 * {@link Problems#payloadTooLarge}) come from platform-support. Each kind of problem has one type, status and title
 * wherever it arises.
 */
public final class RegistryProblems {

    private RegistryProblems() {
    }

    public static ProblemException invalidArchive(String detail) {
        return titled(Problems.of(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_ARCHIVE, detail),
                "Invalid code archive");
    }

    public static ProblemException unsupportedRuntime(String runtime, Iterable<String> supported) {
        return new ProblemException(Problems.of(HttpStatus.BAD_REQUEST, ProblemTypes.UNSUPPORTED_RUNTIME,
                "runtime '" + runtime + "' is not supported; supported runtimes: " + String.join(", ", supported)))
                .with("runtime", runtime);
    }

    public static ProblemException functionNotFound(String functionName) {
        return new ProblemException(Problems.of(HttpStatus.NOT_FOUND, ProblemTypes.FUNCTION_NOT_FOUND,
                "no function named '" + functionName + "'"))
                .with("functionName", functionName);
    }

    public static ProblemException versionNotFound(String functionName, int version) {
        return titled(Problems.of(HttpStatus.NOT_FOUND, ProblemTypes.FUNCTION_NOT_FOUND,
                "function '" + functionName + "' has no version " + version), "Function version not found")
                .with("functionName", functionName)
                .with("version", version);
    }

    public static ProblemException invocationNotFound(UUID invocationId) {
        return new ProblemException(Problems.of(HttpStatus.NOT_FOUND, ProblemTypes.INVOCATION_NOT_FOUND,
                "no invocation with id " + invocationId))
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

    private static ProblemException titled(ProblemDetail problem, String title) {
        problem.setTitle(title);
        return new ProblemException(problem);
    }
}

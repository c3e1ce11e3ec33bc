package io.cloudfunc.registry.problem;

import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;

/**
 * The registry's own problems, in its words; the common ones ({@link Problems#invalidRequest},
 * {@link Problems#payloadTooLarge}) come from platform-support. Each kind of problem has one type, status and title
 * wherever it arises: the title is the type's ({@link Problems#titleFor}), the detail says which version or alias.
 */
public final class RegistryProblems {

    private RegistryProblems() {
    }

    public static ProblemException invalidArchive(String detail) {
        return new ProblemException(Problems.of(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_ARCHIVE, detail));
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
        return new ProblemException(Problems.of(HttpStatus.NOT_FOUND, ProblemTypes.FUNCTION_NOT_FOUND,
                "function '" + functionName + "' has no version " + version))
                .with("functionName", functionName)
                .with("version", version);
    }

    public static ProblemException aliasNotFound(String functionName, String alias) {
        return new ProblemException(Problems.of(HttpStatus.NOT_FOUND, ProblemTypes.ALIAS_NOT_FOUND,
                "function '" + functionName + "' has no alias '" + alias + "'"))
                .with("functionName", functionName)
                .with("alias", alias);
    }

    /** 409: the function already has a {@code kind} (schedule, trigger) of this name; {@code kind} names the field. */
    public static ProblemException functionItemExists(URI type, String functionName, String kind, String name) {
        return new ProblemException(Problems.of(HttpStatus.CONFLICT, type,
                "function '" + functionName + "' already has a " + kind + " named '" + name + "'"))
                .with("functionName", functionName)
                .with(kind, name);
    }

    /** 404: the function has no {@code kind} (schedule, trigger) of this name, as {@code detail} says. */
    public static ProblemException functionItemNotFound(URI type, String functionName, String kind, String name,
            String detail) {
        return new ProblemException(Problems.of(HttpStatus.NOT_FOUND, type, detail))
                .with("functionName", functionName)
                .with(kind, name);
    }

    public static ProblemException invocationNotFound(UUID invocationId) {
        return new ProblemException(Problems.of(HttpStatus.NOT_FOUND, ProblemTypes.INVOCATION_NOT_FOUND,
                "no invocation with id " + invocationId))
                .with("invocationId", invocationId);
    }

    public static ProblemException apiKeyNotFound(UUID id) {
        return new ProblemException(Problems.of(HttpStatus.NOT_FOUND, ProblemTypes.API_KEY_NOT_FOUND,
                "no API key with id " + id))
                .with("apiKeyId", id);
    }

    /** 409: revoking this key would leave no admin key that can be used. */
    public static ProblemException lastAdminKey(UUID id) {
        return new ProblemException(Problems.of(HttpStatus.CONFLICT, ProblemTypes.LAST_ADMIN_KEY,
                "API key " + id + " is the last admin key that can be used: create another admin key before"
                        + " revoking it"))
                .with("apiKeyId", id);
    }

    /** No key has the secret whose hash was given; the answer does not repeat the hash. */
    public static ProblemException apiKeyHashNotFound() {
        return new ProblemException(Problems.of(HttpStatus.NOT_FOUND, ProblemTypes.API_KEY_NOT_FOUND,
                "no API key has this secret"));
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
}

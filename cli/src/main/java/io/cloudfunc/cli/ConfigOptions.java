package io.cloudfunc.cli;

import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.contracts.function.ResourceQuantities;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * A function's configuration flags, shared by {@code deploy} (new code) and {@code update} (new configuration, same
 * code). A flag left out is sent as absent: the platform default on deploy, the current value on update.
 */
final class ConfigOptions {

    @Option(names = "--handler", description = "What to call: module.function for python (default function.handler), "
            + "file.export for node (default index.handler), a class [::method] for java (required).")
    String handler;

    @Option(names = "--timeout", description = "Longest a call may run, e.g. 30s, 500ms, 2m (default 30s).")
    String timeout;

    @Option(names = "--memory", description = "Memory limit per container, e.g. 128m, 1g (default 128m).")
    String memory;

    @Option(names = "--cpu", description = "CPU limit per container: thousandths of a CPU as 100m, or CPUs as 0.5 "
            + "or 2 (default: the platform's, one CPU).")
    String cpu;

    @Option(names = "--idle-ttl", description = "How long an idle warm container is kept, e.g. 60s (default 60s).")
    String idleTtl;

    @Option(names = "--env", paramLabel = "K=V", description = "Environment variable for the function (repeatable; "
            + "on update, the given set replaces the old one).")
    Map<String, String> env;

    @Option(names = "--secret", paramLabel = "K=V", description = "Secret for the function (repeatable): encrypted at "
            + "rest, never shown again. Prefer --secret-file: a command line is visible to other local users.")
    Map<String, String> secrets;

    @Option(names = "--secret-file", paramLabel = "FILE", description = "Secrets as K=V lines ('#' comments).")
    Path secretFile;

    @Option(names = "--min-instances", description = "Containers kept warm at all times (default 0).")
    Integer minInstances;

    @Option(names = "--max-instances", description = "Most containers at once (default 10).")
    Integer maxInstances;

    @Option(names = "--concurrency", description = "Calls one container serves at the same time (default 1).")
    Integer concurrency;

    @Option(names = "--network", description = "none (default) or outbound.")
    String network;

    @Option(names = "--oci-runtime", description = "OCI runtime for the containers, e.g. runc or runsc "
            + "(default: the platform's).")
    String ociRuntime;

    @Option(names = "--image", description = "Image to run, for --runtime image.")
    String image;

    @Option(names = "--max-retries", description = "Retries of a failed asynchronous call (default 0).")
    Integer maxRetries;

    @Option(names = "--retry-backoff", description = "Wait before the first retry, doubled each time, e.g. 1s "
            + "(default 1s).")
    String retryBackoff;

    @Option(names = "--http-access", description = "Who may call it as an HTTP function (/fn/NAME): key (an API key, "
            + "the default), public (anyone) or webhook (a request signed with --webhook-secret, GitHub's "
            + "X-Hub-Signature-256).")
    String httpAccess;

    @Option(names = "--webhook-secret", paramLabel = "SECRET", description = "The key webhook callers sign the body "
            + "with (HMAC-SHA256), for --http-access webhook; never shown again.")
    String webhookSecret;

    FunctionSpec spec(String name, String runtime) {
        return new FunctionSpec(name, runtime, handler,
                timeout == null ? null : Quantities.duration(timeout).toMillis(),
                memory == null ? null : Quantities.megabytes(memory),
                cpu == null ? null : cpuMillis(cpu),
                idleTtl == null ? null : Quantities.duration(idleTtl).toMillis(),
                env, minInstances, maxInstances, concurrency, network, ociRuntime, image, maxRetries,
                retryBackoff == null ? null : Quantities.duration(retryBackoff).toMillis(), secrets(), httpAccess,
                webhookSecret);
    }

    private static int cpuMillis(String cpu) {
        try {
            return ResourceQuantities.cpuMillis(cpu);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "invalid --cpu '" + cpu + "': " + e.getMessage()
                    .replace("\"", ""));
        }
    }

    /** --secret and --secret-file together; null when neither is given (an update then keeps the old secrets). */
    private Map<String, String> secrets() {
        if (secrets == null && secretFile == null) {
            return null;
        }
        Map<String, String> all = new LinkedHashMap<>();
        if (secretFile != null) {
            all.putAll(readSecretFile(secretFile));
        }
        if (secrets != null) {
            all.putAll(secrets);
        }
        return all;
    }

    static Map<String, String> readSecretFile(Path file) {
        Map<String, String> secrets = new LinkedHashMap<>();
        try {
            int number = 0;
            for (String line : Files.readAllLines(file)) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int equals = trimmed.indexOf('=');
                if (equals <= 0) {
                    // never echo the line: it may hold a secret
                    throw new CliException(ExitCodes.USAGE, "line " + number + " of " + file + " is not K=V");
                }
                secrets.put(trimmed.substring(0, equals).strip(), trimmed.substring(equals + 1));
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read the secret file " + file);
        }
        return secrets;
    }
}

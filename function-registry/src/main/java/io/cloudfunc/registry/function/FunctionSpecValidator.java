package io.cloudfunc.registry.function;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.contracts.function.Networks;
import io.cloudfunc.registry.RegistryProperties;
import io.cloudfunc.registry.problem.RegistryProblems;
import io.cloudfunc.support.problem.Problems;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Checks a deploy's metadata against the platform's rules and fills in the defaults. Each broken rule is a 400
 * problem naming the field.
 */
@Component
class FunctionSpecValidator {

    /** Python: {@code module[.module...].function}, each part an identifier. */
    private static final Pattern HANDLER = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+$");
    /** Node: {@code path/to/file.export}: a file (without its .js, .mjs or .cjs) and the name it exports. */
    private static final Pattern NODE_HANDLER = Pattern.compile(
            "^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*(\\.[A-Za-z0-9_-]+)*\\.[A-Za-z_$][A-Za-z0-9_$]*$");
    /** {@code com.example.Class} or {@code com.example.Class::method} (java). */
    private static final Pattern JAVA_HANDLER = Pattern.compile(
            "^[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*(::[A-Za-z_$][A-Za-z0-9_$]*)?$");
    /** A Docker image reference: {@code [registry/]name[:tag][@digest]}, lowercase repository. */
    private static final Pattern IMAGE = Pattern.compile(
            "^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
                    + "(@sha256:[a-f0-9]{64})?$");
    /** An OCI runtime name as Docker knows it: runc, runsc, kata-runtime, ... */
    private static final Pattern OCI_RUNTIME = Pattern.compile("^[a-z][a-z0-9._-]{0,62}$");
    private static final int MAX_IMAGE_LENGTH = 255;
    private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    private static final int MAX_HANDLER_LENGTH = 255;
    private static final int MAX_ENV_VALUE_LENGTH = 4096;
    /** A deploy digest: an opaque token of the deploying tool, e.g. {@code cf1:} and a SHA-256 in hex. */
    private static final Pattern DEPLOY_DIGEST = Pattern.compile("^[A-Za-z0-9:._-]{1,"
            + FunctionSpec.DEPLOY_DIGEST_MAX_LENGTH + "}$");

    private final RegistryProperties properties;

    FunctionSpecValidator(RegistryProperties properties) {
        this.properties = properties;
    }

    FunctionConfig validate(FunctionSpec spec) {
        if (spec == null) {
            throw Problems.invalidRequest("the function metadata is missing");
        }
        if (!FunctionNames.isValid(spec.name())) {
            throw Problems.invalidRequest("invalid function name '" + spec.name() + "': " + FunctionNames.RULE)
                    .with("functionName", spec.name());
        }
        RegistryProperties.Defaults defaults = properties.defaults();
        RegistryProperties.Limits limits = properties.limits();

        String runtime = spec.runtime() == null ? defaults.runtime() : spec.runtime();
        if (!properties.runtimes().contains(runtime)) {
            throw RegistryProblems.unsupportedRuntime(runtime, properties.runtimes());
        }
        String handler = handler(runtime, spec.handler());
        String image = image(runtime, spec.image());
        long timeoutMs = millisWithin("timeoutMs", spec.timeoutMs(), defaults.timeout(),
                limits.minTimeout(), limits.maxTimeout());
        long idleTtlMs = millisWithin("idleTtlMs", spec.idleTtlMs(), defaults.idleTtl(),
                limits.minIdleTtl(), limits.maxIdleTtl());
        int memoryMb = spec.memoryMb() == null ? (int) defaults.memory().toMegabytes() : spec.memoryMb();
        long minMemory = limits.minMemory().toMegabytes();
        long maxMemory = limits.maxMemory().toMegabytes();
        if (memoryMb < minMemory || memoryMb > maxMemory) {
            throw Problems.invalidRequest(
                    "memoryMb must be between " + minMemory + " and " + maxMemory + ", got " + memoryMb);
        }
        Integer cpuMillis = spec.cpuMillis() == null ? null : within("cpuMillis", spec.cpuMillis(), 0,
                RegistryProperties.Limits.MIN_CPU_MILLIS, limits.maxCpuMillis());
        int minInstances = within("minInstances", spec.minInstances(), defaults.minInstances(), 0,
                limits.maxInstances());
        int maxInstances = within("maxInstances", spec.maxInstances(), Math.max(defaults.maxInstances(), minInstances),
                1, limits.maxInstances());
        if (minInstances > maxInstances) {
            throw Problems.invalidRequest("minInstances (" + minInstances + ") must not exceed maxInstances ("
                    + maxInstances + ")");
        }
        int concurrency = within("concurrency", spec.concurrency(), defaults.concurrency(), 1,
                limits.maxConcurrency());
        String network = spec.network() == null ? Networks.NONE : spec.network();
        if (!Networks.ALL.contains(network)) {
            throw Problems.invalidRequest("network must be one of " + Networks.ALL + ", got '" + network + "'");
        }
        String ociRuntime = spec.ociRuntime();
        if (ociRuntime != null && !OCI_RUNTIME.matcher(ociRuntime).matches()) {
            throw Problems.invalidRequest("invalid ociRuntime '" + ociRuntime
                    + "': the name of an OCI runtime Docker knows, e.g. runc or runsc");
        }
        int maxRetries = within("maxRetries", spec.maxRetries(), defaults.maxRetries(), 0, limits.maxRetries());
        long retryBackoffMs = millisWithin("retryBackoffMs", spec.retryBackoffMs(), defaults.retryBackoff(),
                Duration.ZERO, limits.maxRetryBackoff());
        Map<String, String> env = variables("env", "environment variable", spec.env());
        Map<String, String> secrets = variables("secrets", "secret", spec.secrets());
        for (String name : secrets.keySet()) {
            if (env.containsKey(name)) {
                throw Problems.invalidRequest("'" + name + "' is both an environment variable and a secret; "
                        + "give it once");
            }
        }
        if (spec.deployDigest() != null && !DEPLOY_DIGEST.matcher(spec.deployDigest()).matches()) {
            throw Problems.invalidRequest("deployDigest must be 1 to " + FunctionSpec.DEPLOY_DIGEST_MAX_LENGTH
                    + " letters, digits and ':._-'").with("field", "deployDigest");
        }
        return new FunctionConfig(spec.name(), runtime, handler, timeoutMs, memoryMb, cpuMillis, idleTtlMs, env,
                minInstances, maxInstances, concurrency, network, ociRuntime, image, maxRetries, retryBackoffMs,
                secrets);
    }

    /** The handler in the runtime's form, or the runtime's default: python and node have one, java has none. */
    private String handler(String runtime, String requested) {
        String handler = requested;
        if (handler == null) {
            handler = switch (runtime) {
                case "node" -> "index.handler";
                case "java" -> throw Problems.invalidRequest(
                        "a java function needs a handler: the class to call, e.g. com.example.Hello or "
                                + "com.example.Hello::handle");
                case "image" -> "";
                default -> properties.defaults().handler();
            };
        }
        if (runtime.equals("image")) {
            return handler;
        }
        Pattern rule = switch (runtime) {
            case "java" -> JAVA_HANDLER;
            case "node" -> NODE_HANDLER;
            default -> HANDLER;
        };
        if (handler.length() > MAX_HANDLER_LENGTH || !rule.matcher(handler).matches()) {
            throw Problems.invalidRequest("invalid handler '" + handler + "': expected " + switch (runtime) {
                case "java" -> "a class name, optionally with ::method, e.g. com.example.Hello::handle";
                case "node" -> "file.export, e.g. index.handler or src/app.main";
                default -> "module.function, e.g. function.handler or pkg.module.handler";
            });
        }
        return handler;
    }

    /** The image a function of runtime {@code image} runs; the other runtimes take theirs from the platform. */
    private static String image(String runtime, String image) {
        if (!runtime.equals("image")) {
            if (image != null) {
                throw Problems.invalidRequest("image is only for functions of runtime 'image', not '" + runtime + "'");
            }
            return null;
        }
        if (image == null || image.isBlank()) {
            throw Problems.invalidRequest("a function of runtime 'image' needs an image, e.g. myorg/resize:1.0");
        }
        if (image.length() > MAX_IMAGE_LENGTH || !IMAGE.matcher(image).matches()) {
            throw Problems.invalidRequest("invalid image reference '" + image + "'");
        }
        return image;
    }

    private static int within(String field, Integer value, int fallback, int min, int max) {
        int number = value == null ? fallback : value;
        if (number < min || number > max) {
            throw Problems.invalidRequest(field + " must be between " + min + " and " + max + ", got " + number);
        }
        return number;
    }

    private static long millisWithin(String field, Long value, Duration fallback, Duration min, Duration max) {
        long millis = value == null ? fallback.toMillis() : value;
        if (millis < min.toMillis() || millis > max.toMillis()) {
            throw Problems.invalidRequest(
                    field + " must be between " + min.toMillis() + " and " + max.toMillis() + ", got " + millis);
        }
        return millis;
    }

    /** Environment variables or secrets: the same rules for both; a secret's value is never echoed. */
    private Map<String, String> variables(String field, String what, Map<String, String> variables) {
        if (variables == null) {
            return Map.of();
        }
        if (variables.size() > properties.limits().maxEnvEntries()) {
            throw Problems.invalidRequest(field + " may hold at most " + properties.limits().maxEnvEntries()
                    + " variables, got " + variables.size());
        }
        Map<String, String> sorted = new TreeMap<>();
        variables.forEach((key, value) -> {
            if (key == null || !ENV_NAME.matcher(key).matches()) {
                throw Problems.invalidRequest("invalid " + what + " name '" + key
                        + "': letters, digits and underscores, not starting with a digit");
            }
            if (value == null) {
                throw Problems.invalidRequest(what + " " + key + " has no value");
            }
            if (value.length() > MAX_ENV_VALUE_LENGTH || value.indexOf('\0') >= 0) {
                throw Problems.invalidRequest(what + " " + key
                        + " must be at most " + MAX_ENV_VALUE_LENGTH + " characters without NUL");
            }
            sorted.put(key, value);
        });
        return sorted;
    }
}

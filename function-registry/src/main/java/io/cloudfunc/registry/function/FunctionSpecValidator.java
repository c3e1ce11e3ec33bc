package io.cloudfunc.registry.function;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.function.FunctionSpec;
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

    /** {@code module[.module...].function}, each part an identifier. */
    private static final Pattern HANDLER = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+$");
    private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    private static final int MAX_HANDLER_LENGTH = 255;
    private static final int MAX_ENV_VALUE_LENGTH = 4096;

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
        String handler = spec.handler() == null ? defaults.handler() : spec.handler();
        if (handler.length() > MAX_HANDLER_LENGTH || !HANDLER.matcher(handler).matches()) {
            throw Problems.invalidRequest("invalid handler '" + handler
                    + "': expected module.function, e.g. function.handler or pkg.module.handler");
        }
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
        return new FunctionConfig(spec.name(), runtime, handler, timeoutMs, memoryMb, idleTtlMs, env(spec.env()));
    }

    private static long millisWithin(String field, Long value, Duration fallback, Duration min, Duration max) {
        long millis = value == null ? fallback.toMillis() : value;
        if (millis < min.toMillis() || millis > max.toMillis()) {
            throw Problems.invalidRequest(
                    field + " must be between " + min.toMillis() + " and " + max.toMillis() + ", got " + millis);
        }
        return millis;
    }

    private Map<String, String> env(Map<String, String> env) {
        if (env == null) {
            return Map.of();
        }
        if (env.size() > properties.limits().maxEnvEntries()) {
            throw Problems.invalidRequest("env may hold at most " + properties.limits().maxEnvEntries()
                    + " variables, got " + env.size());
        }
        Map<String, String> sorted = new TreeMap<>();
        env.forEach((key, value) -> {
            if (key == null || !ENV_NAME.matcher(key).matches()) {
                throw Problems.invalidRequest("invalid environment variable name '" + key
                        + "': letters, digits and underscores, not starting with a digit");
            }
            if (value == null) {
                throw Problems.invalidRequest("environment variable " + key + " has no value");
            }
            if (value.length() > MAX_ENV_VALUE_LENGTH || value.indexOf('\0') >= 0) {
                throw Problems.invalidRequest("environment variable " + key
                        + " must be at most " + MAX_ENV_VALUE_LENGTH + " characters without NUL");
            }
            sorted.put(key, value);
        });
        return sorted;
    }
}

package io.cloudfunc.gateway.function;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.support.problem.Problems;
import java.util.Map;

/** The checks a deploy's metadata must pass before it is worth sending to the registry. */
final class FunctionSpecs {

    private FunctionSpecs() {
    }

    static FunctionSpec validate(FunctionSpec spec) {
        if (spec.name() == null || spec.name().isBlank()) {
            throw Problems.invalidRequest("The function name is required.");
        }
        if (!FunctionNames.isValid(spec.name())) {
            throw Problems.invalidName(spec.name());
        }
        if (spec.runtime() == null || spec.runtime().isBlank()) {
            throw Problems.invalidRequest("The runtime is required (for example \"python\").");
        }
        if (spec.handler() != null && spec.handler().isBlank()) {
            throw Problems.invalidRequest(
                    "The handler, when given, must not be blank (for example \"function.handler\").");
        }
        positive("timeoutMs", spec.timeoutMs());
        positive("memoryMb", spec.memoryMb());
        positive("cpuMillis", spec.cpuMillis());
        positive("idleTtlMs", spec.idleTtlMs());
        positive("maxInstances", spec.maxInstances());
        positive("concurrency", spec.concurrency());
        notNegative("minInstances", spec.minInstances());
        notNegative("maxRetries", spec.maxRetries());
        notNegative("retryBackoffMs", spec.retryBackoffMs());
        if (spec.env() != null) {
            for (Map.Entry<String, String> variable : spec.env().entrySet()) {
                if (variable.getKey() == null || variable.getKey().isBlank() || variable.getKey().contains("=")) {
                    throw Problems.invalidRequest("Environment variable names must be non-empty and contain no '='.");
                }
                if (variable.getValue() == null) {
                    throw Problems.invalidRequest("Environment variable " + variable.getKey() + " has no value.");
                }
            }
        }
        return spec;
    }

    private static void notNegative(String field, Number value) {
        if (value != null && value.longValue() < 0) {
            throw Problems.invalidRequest(field + " must not be negative, not " + value + ".");
        }
    }

    private static void positive(String field, Number value) {
        if (value != null && value.longValue() <= 0) {
            throw Problems.invalidRequest(field + " must be a positive number, not " + value + ".");
        }
    }
}

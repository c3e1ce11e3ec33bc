package io.cloudfunc.gateway.function;

import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.gateway.web.PublicJson;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A multipart deploy: the {@code code} part (the zip) and the metadata, either as one {@code metadata} JSON part
 * ({@link FunctionSpec}) or as form fields named like its members ({@code name}, {@code runtime}, {@code handler},
 * {@code timeoutMs}, {@code memoryMb}, {@code cpuMillis}, ...; {@code env} and {@code secrets} repeatable
 * {@code K=V}, or one JSON object).
 */
record DeployForm(FunctionSpec spec, Part code) {

    static final String MISSING_CODE = "The 'code' part with the function's zip archive is missing.";

    static final String METADATA = "metadata";
    private static final String METADATA_WHAT = "The 'metadata' part";
    /** Form fields that may come more than once, each adding entries. */
    private static final Set<String> REPEATABLE = Set.of("env", "secrets");
    static final String CODE = "code";
    /** The form fields a deploy knows; any other is refused, like an unknown field of the JSON metadata. */
    private static final List<String> FIELDS = List.of("name", "runtime", "handler", "timeoutMs", "memoryMb",
            "cpuMillis", "idleTtlMs", "env", "minInstances", "maxInstances", "concurrency", "network", "ociRuntime", "image",
            "maxRetries", "retryBackoffMs", "secrets", "httpAccess", "webhookSecret");

    static DeployForm read(HttpServletRequest request, PublicJson json) {
        try {
            refuseRepeats(request);
            Part metadata = request.getPart(METADATA);
            FunctionSpec spec;
            if (metadata != null) {
                if (FIELDS.stream().anyMatch(field -> request.getParameter(field) != null)) {
                    throw Problems.invalidRequest(
                            "Send the metadata either as one 'metadata' JSON part or as form fields, not both.");
                }
                spec = fromJson(metadata, json);
            } else {
                for (String field : java.util.Collections.list(request.getParameterNames())) {
                    if (!FIELDS.contains(field)) {
                        throw Problems.invalidRequest("Unknown deploy field '" + field + "'; known fields: "
                                + String.join(", ", FIELDS) + ".");
                    }
                }
                spec = fromFields(request, json);
            }
            // null for a function of runtime image, which may come without code; the controller decides
            return new DeployForm(spec, request.getPart(CODE));
        } catch (IOException | ServletException e) {
            throw Problems.invalidRequest("The multipart/form-data body could not be read.");
        }
    }

    /**
     * Two {@code code} or {@code name} parts would leave it to chance (the servlet's order) which one counts; a field
     * given as a part and in the query string too is given twice as well.
     */
    private static void refuseRepeats(HttpServletRequest request) throws IOException, ServletException {
        Set<String> seen = new HashSet<>();
        for (Part part : request.getParts()) {
            if (!REPEATABLE.contains(part.getName()) && !seen.add(part.getName())) {
                throw givenTwice(part.getName());
            }
        }
        for (String field : FIELDS) {
            String[] values = request.getParameterValues(field);
            if (!REPEATABLE.contains(field) && values != null && values.length > 1) {
                throw givenTwice(field);
            }
        }
    }

    private static ProblemException givenTwice(String name) {
        return Problems.invalidRequest("The '" + name + "' part is given twice; a deploy has at most one (only env"
                + " and secrets may repeat).").with("field", name);
    }

    private static FunctionSpec fromJson(Part metadata, PublicJson json) throws IOException {
        JsonNode node;
        try (InputStream in = metadata.getInputStream()) {
            node = json.readTree(in);
        } catch (JacksonException e) {
            throw json.invalid(METADATA_WHAT, e);
        }
        if (node == null || !node.isObject()) {
            throw Problems.invalidRequest("The 'metadata' part must be a JSON object.");
        }
        // Strict: a misspelt option (memroyMb) is a 400, not silently the default; 1.5 is not a timeoutMs.
        return json.read(node, FunctionSpec.class, METADATA_WHAT);
    }

    private static FunctionSpec fromFields(HttpServletRequest request, PublicJson json) {
        return new FunctionSpec(
                request.getParameter("name"),
                request.getParameter("runtime"),
                emptyToNull(request.getParameter("handler")),
                number(request, "timeoutMs"),
                intNumber(request, "memoryMb"),
                intNumber(request, "cpuMillis"),
                number(request, "idleTtlMs"),
                variables("Environment variable", request.getParameterValues("env"), json),
                intNumber(request, "minInstances"),
                intNumber(request, "maxInstances"),
                intNumber(request, "concurrency"),
                emptyToNull(request.getParameter("network")),
                emptyToNull(request.getParameter("ociRuntime")),
                emptyToNull(request.getParameter("image")),
                intNumber(request, "maxRetries"),
                number(request, "retryBackoffMs"),
                variables("Secret", request.getParameterValues("secrets"), json),
                emptyToNull(request.getParameter("httpAccess")),
                emptyToNull(request.getParameter("webhookSecret")));
    }

    /**
     * Repeatable {@code K=V} fields, or one field holding a JSON object of strings.
     *
     * @param what "Environment variable" or "Secret": how problems name an entry (a secret's value is never echoed)
     */
    static Map<String, String> variables(String what, String[] values, PublicJson json) {
        if (values == null || values.length == 0) {
            return null;
        }
        var env = new LinkedHashMap<String, String>();
        for (String value : values) {
            String trimmed = value.strip();
            if (trimmed.startsWith("{")) {
                putAll(what, env, trimmed, json);
            } else {
                int equals = trimmed.indexOf('=');
                if (equals <= 0) {
                    throw Problems.invalidRequest(what.equals("Secret")
                            ? "A secrets field must be K=V or a JSON object."
                            : "An env field must be K=V or a JSON object, not '" + value + "'.");
                }
                put(what, env, trimmed.substring(0, equals), trimmed.substring(equals + 1));
            }
        }
        return env;
    }

    private static void putAll(String what, Map<String, String> env, String object, PublicJson json) {
        JsonNode node;
        try {
            node = json.readTree(object);
        } catch (JacksonException e) {
            throw Problems.invalidRequest("The " + (what.equals("Secret") ? "secrets" : "env")
                    + " field is not a valid JSON object: " + json.reason(e) + ".");
        }
        for (var property : node.properties()) {
            if (!property.getValue().isString()) {
                throw Problems.invalidRequest(what + " " + property.getKey() + " must be a string.");
            }
            put(what, env, property.getKey(), property.getValue().asString());
        }
    }

    private static void put(String what, Map<String, String> env, String key, String value) {
        if (env.put(key, value) != null) {
            throw Problems.invalidRequest(what + " " + key + " is given twice.");
        }
    }

    private static Long number(HttpServletRequest request, String field) {
        String value = emptyToNull(request.getParameter(field));
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw Problems.invalidRequest(field + " must be a whole number, not '" + value + "'.");
        }
    }

    private static Integer intNumber(HttpServletRequest request, String field) {
        Long value = number(request, field);
        if (value != null && (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE)) {
            throw Problems.invalidRequest(field + " is out of range: " + value + ".");
        }
        return value == null ? null : value.intValue();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

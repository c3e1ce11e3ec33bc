package io.cloudfunc.gateway.function;

import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.support.problem.JsonProblems;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A multipart deploy: the {@code code} part (the zip) and the metadata, either as one {@code metadata} JSON part
 * ({@link FunctionSpec}) or as form fields {@code name}, {@code runtime}, {@code handler}, {@code timeoutMs},
 * {@code memoryMb}, {@code idleTtlMs} and {@code env} (repeatable {@code K=V}, or one JSON object).
 */
record DeployForm(FunctionSpec spec, Part code) {

    static final String METADATA = "metadata";
    static final String CODE = "code";
    private static final List<String> FIELDS =
            List.of("name", "runtime", "handler", "timeoutMs", "memoryMb", "idleTtlMs", "env");

    static DeployForm read(HttpServletRequest request, JsonMapper json) {
        try {
            Part metadata = request.getPart(METADATA);
            FunctionSpec spec;
            if (metadata != null) {
                if (FIELDS.stream().anyMatch(field -> request.getParameter(field) != null)) {
                    throw Problems.invalidRequest(
                            "Send the metadata either as one 'metadata' JSON part or as form fields, not both.");
                }
                spec = fromJson(metadata, json);
            } else {
                spec = fromFields(request, json);
            }
            Part code = request.getPart(CODE);
            if (code == null) {
                throw Problems.invalidRequest("The 'code' part with the function's zip archive is missing.");
            }
            return new DeployForm(spec, code);
        } catch (IOException | ServletException e) {
            throw Problems.invalidRequest("The multipart/form-data body could not be read.");
        }
    }

    private static FunctionSpec fromJson(Part metadata, JsonMapper json) throws IOException {
        try (InputStream in = metadata.getInputStream()) {
            JsonNode node = json.readTree(in);
            if (node == null || !node.isObject()) {
                throw Problems.invalidRequest("The 'metadata' part must be a JSON object.");
            }
            return json.treeToValue(node, FunctionSpec.class);
        } catch (JacksonException e) {
            throw Problems.invalidRequest("The 'metadata' part is not a valid function description (name, runtime, "
                    + "handler, timeoutMs, memoryMb, idleTtlMs, env)" + where(e) + ".");
        }
    }

    /** Where in the document, by property path ({@code timeoutMs}), never by the Java class Jackson reports. */
    private static String where(JacksonException e) {
        String path = JsonProblems.path(e);
        if (!path.isEmpty()) {
            return ": invalid value at '" + path + "'";
        }
        return e instanceof StreamReadException ? ": " + JsonProblems.reason(e) : "";
    }

    private static FunctionSpec fromFields(HttpServletRequest request, JsonMapper json) {
        return new FunctionSpec(
                request.getParameter("name"),
                request.getParameter("runtime"),
                emptyToNull(request.getParameter("handler")),
                number(request, "timeoutMs"),
                intNumber(request, "memoryMb"),
                number(request, "idleTtlMs"),
                env(request.getParameterValues("env"), json));
    }

    /** Repeatable {@code K=V} fields, or one field holding a JSON object of strings. */
    static Map<String, String> env(String[] values, JsonMapper json) {
        if (values == null || values.length == 0) {
            return null;
        }
        var env = new LinkedHashMap<String, String>();
        for (String value : values) {
            String trimmed = value.strip();
            if (trimmed.startsWith("{")) {
                putAll(env, trimmed, json);
            } else {
                int equals = trimmed.indexOf('=');
                if (equals <= 0) {
                    throw Problems.invalidRequest("An env field must be K=V or a JSON object, not '" + value + "'.");
                }
                put(env, trimmed.substring(0, equals), trimmed.substring(equals + 1));
            }
        }
        return env;
    }

    private static void putAll(Map<String, String> env, String object, JsonMapper json) {
        JsonNode node;
        try {
            node = json.readTree(object);
        } catch (JacksonException e) {
            throw Problems.invalidRequest("The env field is not a valid JSON object: " + JsonProblems.reason(e) + ".");
        }
        for (var property : node.properties()) {
            if (!property.getValue().isValueNode() || property.getValue().isNull()) {
                throw Problems.invalidRequest("Environment variable " + property.getKey() + " must be a string.");
            }
            put(env, property.getKey(), property.getValue().asString());
        }
    }

    private static void put(Map<String, String> env, String key, String value) {
        if (env.put(key, value) != null) {
            throw Problems.invalidRequest("Environment variable " + key + " is given twice.");
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

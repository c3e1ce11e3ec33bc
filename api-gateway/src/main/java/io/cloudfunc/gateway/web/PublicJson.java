package io.cloudfunc.gateway.web;

import io.cloudfunc.support.problem.JsonProblems;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads the JSON of public request bodies (deploys, configuration updates, aliases, API keys) strictly, so that
 * nothing a caller sends is silently changed or dropped: an unknown field, a field given twice, a fraction where a
 * whole number is expected ({@code "timeoutMs": 1.5} is not 1 ms), a number or boolean where a string is expected
 * ({@code "name": 12} is not "12"), a string where a number or boolean is expected, a number for an enum or an instant
 * ({@code "expiresAt": 1893456000} is not read as epoch seconds), or anything after the document are all a 400 {@code invalid-request} whose detail names the field, in the document's terms.
 */
@Component
public final class PublicJson {

    private final JsonMapper strict;

    public PublicJson(JsonMapper base) {
        this.strict = base.rebuild()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // no string to number or boolean ("100" for 100) ...
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // ... and no number or boolean to string (12 for "12")
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .addModule(new SimpleModule("iso-instants").addDeserializer(Instant.class, new IsoInstant()))
                .build();
    }

    /** An instant only as an ISO-8601 string, read as usual; any other token is a mismatch naming the field. */
    private static final class IsoInstant extends ValueDeserializer<Instant> {

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }
    }

    /**
     * @param what names the body in the problem's detail, e.g. "The alias"
     */
    public <T> T read(byte[] body, Class<T> type, String what) {
        if (body == null || body.length == 0) {
            throw Problems.invalidRequest(what + " is empty; it must be a JSON object.");
        }
        T value;
        try {
            value = strict.readValue(body, type);
        } catch (JacksonException e) {
            throw invalid(what, e);
        }
        if (value == null) {
            throw Problems.invalidRequest(what + " must be a JSON object.");
        }
        return value;
    }

    /** A JSON object into {@code type}, for a document already read as a tree ({@link #readTree}). */
    public <T> T read(JsonNode node, Class<T> type, String what) {
        try {
            return strict.readerFor(type).readValue(node);
        } catch (JacksonException e) {
            throw invalid(what, e);
        }
    }

    /** A tree without duplicate fields; the caller words the failure ({@link #reason}). */
    public JsonNode readTree(InputStream in) throws JacksonException {
        return strict.readTree(in);
    }

    /** @see #readTree(InputStream) */
    public JsonNode readTree(String content) throws JacksonException {
        return strict.readTree(content);
    }

    /** "{what} is not valid: {reason}." as a 400, naming the field in {@code field} when there is one. */
    public ProblemException invalid(String what, JacksonException e) {
        ProblemException problem = Problems.invalidRequest(what + " is not valid: " + reason(e) + ".");
        String field = field(e);
        return field.isEmpty() ? problem : problem.with("field", field);
    }

    /**
     * Why the document was refused, naming the field by its path ({@code env.A}) and never a Java class: e.g.
     * {@code 'timeoutMs' must be a whole number}, {@code duplicate field 'name'}, {@code unknown field 'x'}.
     * Values are not repeated: one may be a secret.
     */
    public String reason(JacksonException e) {
        String field = field(e);
        if (e instanceof UnrecognizedPropertyException) {
            return "unknown field '" + field + "'";
        }
        if (duplicate(e) != null) {
            return "duplicate field '" + field + "'";
        }
        if (e instanceof InputCoercionException coercion && !field.isEmpty()) {
            return "'" + field + "' is out of range for " + expected(coercion.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatch && !field.isEmpty()) {
            return "'" + field + "' must be " + expected(mismatch.getTargetType());
        }
        return JsonProblems.reason(e);
    }

    /** The path of the field the failure is about ({@code env.A}), or "" when it is about the whole document. */
    static String field(JacksonException e) {
        String path = JsonProblems.path(e);
        String duplicate = duplicate(e);
        if (duplicate != null) {
            return path.isEmpty() ? duplicate : path + "." + duplicate;
        }
        return path;
    }

    /** The name a parser's duplicate-field failure is about, or null for another failure. */
    private static String duplicate(JacksonException e) {
        String message = e instanceof StreamReadException ? e.getOriginalMessage() : null;
        String prefix = "Duplicate Object property \"";
        if (message == null || !message.startsWith(prefix)) {
            return null;
        }
        int end = message.indexOf('"', prefix.length());
        return end < 0 ? null : message.substring(prefix.length(), end);
    }

    private String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Long.class || type == Integer.class || type == Short.class || type == long.class
                || type == int.class || type == short.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants())
                    .map(constant -> "'" + strict.writeValueAsString(constant).replace("\"", "") + "'")
                    .collect(Collectors.joining(", "));
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 instant such as 2026-03-01T10:00:00Z";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a JSON array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a JSON object";
        }
        return "of another type";
    }
}

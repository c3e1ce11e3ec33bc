package io.cloudfunc.support.problem;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Describes why a JSON document could not be read, in the document's terms rather than Java's: Jackson's own messages
 * name the Java classes involved ({@code io.cloudfunc.contracts...FunctionSpec["timeoutMs"]}) and the redacted source
 * ({@code [Source: REDACTED (`StreamReadFeature...`)]}), neither of which a caller can act on.
 */
public final class JsonProblems {

    private JsonProblems() {
    }

    /**
     * Reads a request body into {@code type} strictly: a field the type does not have is a 400, like a malformed
     * document or a value of the wrong type, so that a misspelt option is never silently ignored.
     *
     * @param what names the body in the problem's detail, e.g. "the body"
     */
    public static <T> T readStrict(JsonMapper json, byte[] body, Class<T> type, String what) {
        if (body == null || body.length == 0) {
            throw Problems.invalidRequest(what + " is empty; it must be a JSON object.");
        }
        T value;
        try {
            value = json.readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(body);
        } catch (JacksonException e) {
            throw Problems.invalidRequest(what + " is not valid: " + reason(e) + ".");
        }
        if (value == null) {
            throw Problems.invalidRequest(what + " must be a JSON object.");
        }
        return value;
    }

    /**
     * @param what    what was being read, e.g. "the request body"
     * @param failure Jackson's exception, or null when unknown
     * @return e.g. {@code the request body has an invalid value at 'env.A'}
     */
    public static String describe(String what, Throwable failure) {
        if (failure instanceof UnrecognizedPropertyException unknown) {
            return what + " has an unknown field '" + path(unknown) + "'";
        }
        if (failure instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
            return what + " has an invalid value at '" + path(jackson) + "'";
        }
        return what + " is missing, is not valid JSON or does not have the expected shape";
    }

    /** {@code items[2].name} from Jackson's references, which otherwise name the Java classes involved. */
    public static String path(JacksonException exception) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : exception.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /**
     * Why a document is not valid JSON, e.g. {@code unexpected end of input at line 1, column 6}: the parser's reason
     * without the source excerpt it appends, and where it stopped. For a document that parsed but does not fit its
     * Java type, where that is ({@code invalid value at 'timeoutMs'}).
     */
    public static String reason(JacksonException exception) {
        if (exception instanceof UnrecognizedPropertyException) {
            return "unknown field '" + path(exception) + "'";
        }
        if (!(exception instanceof StreamReadException)) {
            String path = path(exception);
            return path.isEmpty() ? "it does not have the expected shape" : "invalid value at '" + path + "'";
        }
        String message = exception.getOriginalMessage();
        String reason = message == null ? "" : plain(message);
        TokenStreamLocation location = exception.getLocation();
        String where = location == null || location.getLineNr() < 0 ? ""
                : "line " + location.getLineNr() + ", column " + location.getColumnNr();
        if (reason.isEmpty()) {
            return where.isEmpty() ? "malformed JSON" : "malformed JSON at " + where;
        }
        return where.isEmpty() ? reason : reason + " at " + where;
    }

    /** The first line of a parser message, cut before any location or source excerpt it carries. */
    private static String plain(String message) {
        String reason = message;
        int newline = reason.indexOf('\n');
        if (newline >= 0) {
            reason = reason.substring(0, newline);
        }
        for (String marker : new String[] {" (start marker at", "[Source:", " at [", "Source:"}) {
            int at = reason.indexOf(marker);
            if (at >= 0) {
                reason = reason.substring(0, at);
            }
        }
        reason = reason.strip();
        if (reason.endsWith(":") || reason.endsWith(",")) {
            reason = reason.substring(0, reason.length() - 1).strip();
        }
        return reason;
    }
}

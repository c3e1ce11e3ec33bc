package io.cloudfunc.gateway.invocation;

import io.cloudfunc.contracts.invocation.EventLimits;
import io.cloudfunc.support.problem.JsonProblems;
import io.cloudfunc.support.problem.Problems;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks that an event is exactly one JSON value by streaming over its tokens: no tree is built, and the bytes are
 * forwarded as they came.
 */
final class Events {

    static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

    private Events() {
    }

    /**
     * The event to forward: the body itself, or {@code {}} for an empty (or all-whitespace) body. At most
     * {@link EventLimits#MAX_DEPTH} arrays and objects deep, with no number longer than
     * {@link EventLimits#MAX_NUMBER_DIGITS} digits when written out in full.
     */
    static byte[] checked(byte[] body, JsonMapper json) {
        if (body.length == 0) {
            return EMPTY_OBJECT;
        }
        try (JsonParser parser = json.createParser(body)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return EMPTY_OBJECT;
            }
            int depth = 0;
            do {
                if (token == JsonToken.VALUE_NUMBER_FLOAT && digitsWrittenOut(parser.getDecimalValue())
                        > EventLimits.MAX_NUMBER_DIGITS) {
                    throw Problems.invalidRequest("The event has a number of more than "
                            + EventLimits.MAX_NUMBER_DIGITS + " digits when written out in full.");
                }
                if (token.isStructStart()) {
                    if (++depth > EventLimits.MAX_DEPTH) {
                        throw Problems.invalidRequest("The event is nested too deeply: at most "
                                + EventLimits.MAX_DEPTH + " arrays and objects inside one another.");
                    }
                } else if (token.isStructEnd()) {
                    depth--;
                }
            } while (depth > 0 && (token = parser.nextToken()) != null);
            if (parser.nextToken() != null) {
                throw Problems.invalidRequest("The event must be a single JSON value; there is more after it.");
            }
            return body;
        } catch (JacksonException e) {
            throw Problems.invalidRequest("The event is not valid JSON: " + JsonProblems.reason(e) + ".");
        }
    }

    /** 0.1e99999 is 99,999 digits, 1e-5 is 6 (0.00001); a whole number's digits the parser limits itself. */
    private static long digitsWrittenOut(BigDecimal number) {
        long precision = number.precision();
        long scale = number.scale();
        return scale <= 0 ? precision - scale : Math.max(precision, scale) + 1;
    }
}

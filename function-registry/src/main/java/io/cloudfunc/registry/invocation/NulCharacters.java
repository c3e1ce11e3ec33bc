package io.cloudfunc.registry.invocation;

import io.cloudfunc.contracts.invocation.FunctionError;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replaces U+0000 by U+FFFD in what an invocation record stores. PostgreSQL refuses {@code \u0000} in JSONB and a
 * 0x00 byte in TEXT, yet a function may well return or log one: refusing the record would lose the outcome (and its
 * sender would retry for ever), so the character is replaced, as a decoder replaces what it cannot represent.
 * <p>
 * On the hot path almost nothing holds a NUL: the values are only scanned, and copied only when one is found.
 */
final class NulCharacters {

    static final char NUL = '\u0000';
    static final char REPLACEMENT = '\uFFFD';

    private NulCharacters() {
    }

    static String clean(String text) {
        return text == null || text.indexOf(NUL) < 0 ? text : text.replace(NUL, REPLACEMENT);
    }

    /** The same node when it holds no NUL (in a string or a property name), else a cleaned copy. */
    static JsonNode clean(JsonNode node) {
        return node == null || !containsNul(node) ? node : copy(node);
    }

    static FunctionError clean(FunctionError error) {
        if (error == null || !containsNul(error)) {
            return error;
        }
        return new FunctionError(clean(error.type()), clean(error.message()),
                error.trace().stream().map(NulCharacters::clean).toList());
    }

    private static boolean containsNul(FunctionError error) {
        return hasNul(error.type()) || hasNul(error.message()) || error.trace().stream().anyMatch(NulCharacters::hasNul);
    }

    private static boolean hasNul(String text) {
        return text != null && text.indexOf(NUL) >= 0;
    }

    private static boolean containsNul(JsonNode node) {
        if (node.isString()) {
            return hasNul(node.stringValue());
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                if (hasNul(property.getKey()) || containsNul(property.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (JsonNode element : node.values()) {
                if (containsNul(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static JsonNode copy(JsonNode node) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (node.isString()) {
            return nodes.stringNode(clean(node.stringValue()));
        }
        if (node.isObject()) {
            ObjectNode copy = nodes.objectNode();
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                copy.set(clean(property.getKey()), copy(property.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = nodes.arrayNode();
            for (JsonNode element : node.values()) {
                copy.add(copy(element));
            }
            return copy;
        }
        return node;
    }
}

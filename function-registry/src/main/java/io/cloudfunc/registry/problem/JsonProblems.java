package io.cloudfunc.registry.problem;

import tools.jackson.core.JacksonException;

/** Describes why a JSON document could not be read, in the document's terms rather than Java's. */
public final class JsonProblems {

    private JsonProblems() {
    }

    /**
     * @param what    what was being read, e.g. "the request body"
     * @param failure Jackson's exception, or null when unknown
     * @return e.g. {@code the request body has an invalid value at 'env.A'}
     */
    public static String describe(String what, Throwable failure) {
        if (failure instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
            return what + " has an invalid value at '" + path(jackson) + "'";
        }
        return what + " is missing, is not valid JSON or does not have the expected shape";
    }

    /** {@code items[2].name} from Jackson's references, which otherwise name the Java classes involved. */
    static String path(JacksonException exception) {
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
}

package io.cloudfunc.runtime;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * Sets the function's environment variables in this process, so that {@code System.getenv} sees them. They arrive
 * in {@code init} (they are not on the container, to keep them out of {@code docker inspect}), and Java has no API
 * to change its own environment: the runtime writes into the JDK's copy of it, which needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.util=ALL-UNNAMED} (the image's
 * entry point passes them). Processes the function starts inherit them too.
 */
final class Environment {

    private Environment() {
    }

    static void set(String name, String value) {
        try {
            Class<?> processEnvironment = Class.forName("java.lang.ProcessEnvironment");
            // System.getenv's view; it writes through to the map ProcessBuilder copies for child processes
            mutable(field(processEnvironment, "theUnmodifiableEnvironment")).put(name, value);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot set environment variable " + name + " (the runtime needs"
                    + " --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.util=ALL-UNNAMED): "
                    + e, e);
        }
    }

    private static Object field(Class<?> type, String name) throws ReflectiveOperationException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(null);
    }

    /** The map behind a {@code Collections.unmodifiableMap}, or the map itself. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> mutable(Object map) throws ReflectiveOperationException {
        Class<?> type = map.getClass();
        if (type.getName().equals("java.util.Collections$UnmodifiableMap")) {
            Field inner = type.getDeclaredField("m");
            inner.setAccessible(true);
            return (Map<String, String>) inner.get(map);
        }
        return (Map<String, String>) map;
    }
}

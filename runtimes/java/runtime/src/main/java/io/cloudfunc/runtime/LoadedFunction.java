package io.cloudfunc.runtime;

import io.cloudfunc.function.Context;
import io.cloudfunc.function.Handler;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.type.TypeFactory;

/**
 * The function, loaded once: the handler named by {@code com.example.Class} (a class implementing {@link Handler})
 * or {@code com.example.Class::method} (a public method taking the event, optionally the context, or nothing), and
 * the type its event is bound to.
 */
final class LoadedFunction {

    private static final Pattern HANDLER = Pattern.compile(
            "^[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*(::[A-Za-z_$][\\w$]*)?$");

    private final Object target;
    private final Method method; // null for a Handler
    private final int parameters;
    private final JavaType eventType;

    private LoadedFunction(Object target, Method method, int parameters, JavaType eventType) {
        this.target = target;
        this.method = method;
        this.parameters = parameters;
        this.eventType = eventType;
    }

    JavaType eventType() {
        return eventType;
    }

    static LoadedFunction load(String handler, ClassLoader loader, TypeFactory types) throws Throwable {
        if (!HANDLER.matcher(handler).matches()) {
            throw new FunctionError("InvalidHandler", "handler '" + handler
                    + "' is not of the form com.example.Class or com.example.Class::method");
        }
        int separator = handler.indexOf("::");
        String className = separator < 0 ? handler : handler.substring(0, separator);
        Class<?> type;
        try {
            type = Class.forName(className, true, loader); // runs the class's static initialisation now
        } catch (ClassNotFoundException e) {
            throw new FunctionError("HandlerNotFound", "class " + className + " not found in the function's code"
                    + " (expected " + className.replace('.', '/') + ".class in the archive)");
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            throw new FunctionError("InvalidHandler", "class " + className + " is not public");
        }
        if (separator < 0) {
            if (!Handler.class.isAssignableFrom(type)) {
                throw new FunctionError("InvalidHandler", "class " + className + " does not implement "
                        + Handler.class.getName() + " (or name a method: " + className + "::method)");
            }
            JavaType[] parameters = types.constructType(type).findTypeParameters(Handler.class);
            JavaType event = parameters.length > 0 ? parameters[0] : types.constructType(Object.class);
            return new LoadedFunction(instantiate(type), declaredHandle(type, event.getRawClass()), 2, event);
        }
        return forMethod(type, handler.substring(separator + 2), types);
    }

    private static LoadedFunction forMethod(Class<?> type, String name, TypeFactory types) throws Throwable {
        List<Method> candidates = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(name) && !m.isBridge() && !m.isSynthetic())
                .toList();
        if (candidates.isEmpty()) {
            throw new FunctionError("HandlerNotFound", "class " + type.getName() + " has no public method " + name);
        }
        if (candidates.size() > 1) {
            throw new FunctionError("InvalidHandler", "class " + type.getName() + " has " + candidates.size()
                    + " public methods named " + name + ": keep one");
        }
        Method method = candidates.getFirst();
        Class<?>[] parameterTypes = method.getParameterTypes();
        boolean valid = parameterTypes.length < 2
                || parameterTypes.length == 2 && parameterTypes[1].isAssignableFrom(Context.class);
        if (!valid) {
            throw new FunctionError("InvalidHandler", "method " + name + " must take (event), (event, Context) or"
                    + " nothing, not " + parameterTypes.length + " parameters");
        }
        Type event = parameterTypes.length == 0 ? Object.class : method.getGenericParameterTypes()[0];
        Object target = Modifier.isStatic(method.getModifiers()) ? null : instantiate(type);
        method.setAccessible(true); // public, but the class may sit in a non-exported package of a module
        return new LoadedFunction(target, method, parameterTypes.length, types.constructType(event));
    }

    /**
     * The class's own {@code handle(I, Context)}, called directly rather than through the interface: a generic
     * handler is otherwise entered through the compiler's bridge method, a second frame of the same name in traces.
     * Null when there is none to find (the interface call then does).
     */
    private static Method declaredHandle(Class<?> type, Class<?> event) {
        try {
            Method method = type.getMethod("handle", event, Context.class);
            method.setAccessible(true);
            return method.isBridge() ? null : method;
        } catch (NoSuchMethodException | RuntimeException e) {
            return null;
        }
    }

    private static Object instantiate(Class<?> type) throws Throwable {
        if (Modifier.isAbstract(type.getModifiers())) {
            throw new FunctionError("InvalidHandler", "class " + type.getName() + " is abstract");
        }
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new FunctionError("InvalidHandler", "class " + type.getName()
                    + " has no public constructor without parameters");
        }
        return constructor.newInstance(); // an exception of the constructor arrives wrapped; ErrorReport unwraps it
    }

    /** Calls the handler; an exception of the function's code comes out wrapped for a method (unwrapped later). */
    @SuppressWarnings("unchecked")
    Object call(Object event, Context context) throws Throwable {
        if (method == null) {
            return ((Handler<Object, Object>) target).handle(event, context);
        }
        return switch (parameters) {
            case 0 -> method.invoke(target);
            case 1 -> method.invoke(target, event);
            default -> method.invoke(target, event, context);
        };
    }
}

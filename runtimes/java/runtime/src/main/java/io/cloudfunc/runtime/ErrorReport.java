package io.cloudfunc.runtime;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The error of a call or of loading, as the protocol carries it: the exception's simple class name, its message
 * and the frames of the function's own classes, outermost first.
 */
record ErrorReport(String type, String message, List<String> trace) {

    static ErrorReport of(String type, String message) {
        return new ErrorReport(type, message, List.of());
    }

    /**
     * @param ownClass whether a class name belongs to the function's own code (not the runtime, not the JDK, not a
     *                 library in the function's lib/)
     */
    static ErrorReport of(Throwable thrown, Predicate<String> ownClass) {
        Throwable error = unwrap(thrown);
        if (error instanceof FunctionError functionError) {
            return of(functionError.type(), functionError.getMessage());
        }
        try {
            return new ErrorReport(typeOf(error), messageOf(error), trace(error, ownClass));
        } catch (Throwable unexpected) { // a stack trace or class name that itself fails: never let it out
            return of(error.getClass().getName(), "<unprintable " + error.getClass().getName() + " object>");
        }
    }

    /** The exception the function threw, not the reflection or class-initialisation wrapper around it. */
    private static Throwable unwrap(Throwable thrown) {
        Throwable error = thrown;
        for (int depth = 0; depth < 10; depth++) {
            Throwable cause = error instanceof InvocationTargetException ite ? ite.getCause()
                    : error instanceof ExceptionInInitializerError init ? init.getCause() : null;
            if (cause == null) {
                return error;
            }
            error = cause;
        }
        return error;
    }

    private static String typeOf(Throwable error) {
        String simple = error.getClass().getSimpleName();
        return simple.isEmpty() ? error.getClass().getName() : simple; // anonymous classes have no simple name
    }

    private static String messageOf(Throwable error) {
        try {
            String message = error.getMessage();
            return message == null ? "" : message;
        } catch (Throwable unprintable) { // getMessage() is the function's code and may throw
            return "<unprintable " + typeOf(error) + " object>";
        }
    }

    private static List<String> trace(Throwable error, Predicate<String> ownClass) {
        StackTraceElement[] frames = error.getStackTrace();
        List<String> lines = new ArrayList<>();
        for (int i = frames.length - 1; i >= 0; i--) {
            StackTraceElement frame = frames[i];
            if (ownClass.test(frame.getClassName())) {
                lines.add("  at " + frame.getClassName() + "." + frame.getMethodName() + "("
                        + (frame.getFileName() == null ? "Unknown Source" : frame.getFileName())
                        + (frame.getLineNumber() >= 0 ? ":" + frame.getLineNumber() : "") + ")");
            }
        }
        return lines;
    }
}

package io.cloudfunc.runtime;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads the function's classes: the unpacked archive's own classes (the code directory itself), then the jars at
 * its top level and under {@code lib/}, in name order. Its parent shows only the JDK and the function API, so a
 * function never sees the runtime's classes or its (relocated) Jackson, and may bring its own versions of anything.
 */
final class FunctionClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final String ownClasses;
    private final Map<String, Boolean> own = new HashMap<>();

    private FunctionClassLoader(URL[] urls, String ownClasses) {
        super("cloudfunc-function", urls, new ApiOnly(FunctionClassLoader.class.getClassLoader()));
        this.ownClasses = ownClasses;
    }

    static FunctionClassLoader of(Path codeDir) throws IOException {
        List<URL> urls = new ArrayList<>();
        URL classes = codeDir.toUri().toURL(); // a directory URL (ends with /): classes as unpacked
        urls.add(classes);
        urls.addAll(jarsIn(codeDir));
        urls.addAll(jarsIn(codeDir.resolve("lib")));
        return new FunctionClassLoader(urls.toArray(URL[]::new), classes.toString());
    }

    private static List<URL> jarsIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<URL> urls = new ArrayList<>();
            for (Path jar : files.filter(f -> f.toString().endsWith(".jar") && Files.isRegularFile(f)).sorted()
                    .toList()) {
                urls.add(toUrl(jar));
            }
            return urls;
        }
    }

    private static URL toUrl(Path file) {
        try {
            return file.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Whether the class is one of the function's own (unpacked in the code directory, not in a library jar). */
    boolean isOwnClass(String className) {
        synchronized (own) {
            return own.computeIfAbsent(className, name -> {
                int nested = name.indexOf('$');
                String outer = nested > 0 ? name.substring(0, nested) : name;
                URL url = findResource(outer.replace('.', '/') + ".class");
                return url != null && url.toString().startsWith(ownClasses);
            });
        }
    }

    /** The JDK (platform loader) plus the function API from the runtime's loader, and nothing else. */
    private static final class ApiOnly extends ClassLoader {

        private static final String API_PACKAGE = "io.cloudfunc.function.";
        private final ClassLoader runtime;

        ApiOnly(ClassLoader runtime) {
            super("cloudfunc-api", ClassLoader.getPlatformClassLoader());
            this.runtime = runtime;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(API_PACKAGE)) {
                return runtime.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}

package io.cloudfunc.e2e;

import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One platform (the four services as processes) for all e2e classes of a run: started by the first class that needs
 * it, kept in the root store, and closed by JUnit when the run ends. Tests give their functions distinct names.
 */
final class SharedPlatform implements BeforeAllCallback {

    /** base64 of 32 bytes: the registry's secrets key in the e2e run. */
    static final String SECRETS_KEY = "ZTJlLXNlY3JldHMta2V5LW9mLXRoaXJ0eS10d28hIT8=";

    private static volatile Platform platform;

    @Override
    public void beforeAll(ExtensionContext context) {
        platform = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(Platform.class, type -> start(), Platform.class);
    }

    static Platform get() {
        if (platform == null) {
            throw new IllegalStateException("no platform: annotate the test class with @ExtendWith(SharedPlatform.class)");
        }
        return platform;
    }

    private static Platform start() {
        try {
            var started = new Platform();
            // -Dcloudfunc.e2e.python-image: a Python runtime image built from this tree, beside the machine's :latest
            String pythonImage = System.getProperty("cloudfunc.e2e.python-image", "");
            started.start(List.of("--gateway.max-archive-size=1MB", "--gateway.max-event-size=64KB",
                    "--spring.servlet.multipart.max-file-size=1MB", "--spring.servlet.multipart.max-request-size=2MB"),
                    pythonImage.isBlank() ? List.of() : List.of("--containers.runtimes.python.image=" + pythonImage));
            return started;
        } catch (Exception e) {
            throw new IllegalStateException("the platform did not start: " + e.getMessage(), e);
        }
    }
}

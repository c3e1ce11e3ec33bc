package io.cloudfunc.containers.docker;

import java.util.regex.Pattern;

/**
 * The Docker engine's words, fit to pass on to a caller: its messages name its own files
 * ({@code open /var/lib/docker/tmp/docker-import-3347169247/repositories: no such file or directory}), which say
 * nothing to the uploader and tell where the engine keeps its data. Each absolute path keeps only its last part
 * ({@code open repositories: no such file or directory}), the part that says what was missing.
 */
final class EngineMessages {

    /** An absolute path of two parts or more, not part of a word, an image reference or a URL. */
    private static final Pattern PATH = Pattern.compile("(?<![\\w.:/@-])/(?:[^\\s/:;,'\"()\\[\\]]+/)+([^\\s/:;,'\"()\\[\\]]+)");

    private EngineMessages() {
    }

    static String withoutPaths(String message) {
        return message == null ? null : PATH.matcher(message).replaceAll("$1");
    }
}

package io.cloudfunc.gateway.function;

import io.cloudfunc.support.problem.Problems;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Turns the source of a one-file function into the zip the registry stores: one entry, the handler's module file
 * ({@code function.handler} -> {@code function.py}, {@code pkg.mod.handler} -> {@code pkg/mod.py}; {@code .js} for
 * node). Entries carry a fixed timestamp so the same code always gives the same archive and digest.
 */
final class InlineArchive {

    static final String DEFAULT_HANDLER = "function.handler";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");
    private static final LocalDateTime ZIP_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0);

    private InlineArchive() {
    }

    /** Path of the handler's module inside the archive. */
    static String moduleFile(String runtime, String handler) {
        String effective = handler == null ? DEFAULT_HANDLER : handler;
        int lastDot = effective.lastIndexOf('.');
        if (lastDot <= 0 || lastDot == effective.length() - 1) {
            throw Problems.invalidRequest("The handler must be module.function (for example " + DEFAULT_HANDLER
                    + "), not '" + effective + "'.");
        }
        String[] modules = effective.substring(0, lastDot).split("\\.", -1);
        for (String module : modules) {
            if (!IDENTIFIER.matcher(module).matches()) {
                throw Problems.invalidRequest("The handler's module path '" + effective.substring(0, lastDot)
                        + "' is not a dotted module name.");
            }
        }
        return String.join("/", modules) + extension(runtime);
    }

    private static String extension(String runtime) {
        String name = runtime.toLowerCase(Locale.ROOT);
        if (name.startsWith("python")) {
            return ".py";
        }
        if (name.startsWith("node")) {
            return ".js";
        }
        throw Problems.invalidRequest("Inline code is supported for the python and node runtimes; upload a zip "
                + "archive (multipart/form-data) for runtime '" + runtime + "'.");
    }

    static byte[] zip(String moduleFile, String code) {
        byte[] source = code.getBytes(StandardCharsets.UTF_8);
        var bytes = new ByteArrayOutputStream(source.length / 2 + 256);
        try (var zip = new ZipOutputStream(bytes)) {
            var entry = new ZipEntry(moduleFile);
            entry.setTimeLocal(ZIP_EPOCH);
            zip.putNextEntry(entry);
            zip.write(source);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}

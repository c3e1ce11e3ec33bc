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
 * ({@code function.handler} -> {@code function.py}, {@code pkg.mod.handler} -> {@code pkg/mod.py}; for node the file
 * part as it is plus {@code .js}: {@code index.handler} (its default) -> {@code index.js}, {@code src/app.main} ->
 * {@code src/app.js}). Entries carry a fixed timestamp so the same code always gives the same archive and digest.
 */
final class InlineArchive {

    static final String DEFAULT_HANDLER = "function.handler";
    /** The registry's default for node, and its handler rule ({@code path/file.export}). */
    static final String DEFAULT_NODE_HANDLER = "index.handler";
    private static final Pattern NODE_HANDLER = Pattern.compile(
            "^([A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*(\\.[A-Za-z0-9_-]+)*)\\.[A-Za-z_$][A-Za-z0-9_$]*$");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");
    private static final LocalDateTime ZIP_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0);

    private InlineArchive() {
    }

    /** Path of the handler's module inside the archive. */
    static String moduleFile(String runtime, String handler) {
        if (runtime.toLowerCase(Locale.ROOT).startsWith("node")) {
            String effective = handler == null ? DEFAULT_NODE_HANDLER : handler;
            var match = NODE_HANDLER.matcher(effective);
            if (!match.matches()) {
                throw Problems.invalidRequest("The handler must be file.export (for example " + DEFAULT_NODE_HANDLER
                        + " or src/app.main), not '" + effective + "'.");
            }
            return match.group(1) + ".js";
        }
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

    /** A zip without entries (22 bytes): the code of a function of runtime image. */
    static byte[] empty() {
        var bytes = new ByteArrayOutputStream(32);
        try (var zip = new ZipOutputStream(bytes)) {
            zip.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
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

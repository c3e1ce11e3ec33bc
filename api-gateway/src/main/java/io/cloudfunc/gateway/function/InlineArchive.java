package io.cloudfunc.gateway.function;

import io.cloudfunc.contracts.function.FunctionSpec;
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
    /** Seed 002's handler: {@code def handle(request)} in the code, {@code function.handle} as a handler. */
    static final String SEED_HANDLER = "function.handle";
    private static final Pattern DEFINES_HANDLER = Pattern.compile("(?m)^(async\\s+)?def\\s+handler\\s*\\(");
    private static final Pattern DEFINES_HANDLE = Pattern.compile("(?m)^(async\\s+)?def\\s+handle\\s*\\(");

    private InlineArchive() {
    }

    /**
     * A deploy's spec with the inline defaults in: no runtime is {@code image} when an image is named (seed 004's
     * {@code {"name": ..., "image": ...}}) and python otherwise (seed 002's bodies name none), and python code
     * that defines a top-level {@code handle} but no {@code handler} is called by {@code handle} (seed 002's
     * convention) when no handler is given.
     */
    static FunctionSpec withDefaults(FunctionSpec spec, String code) {
        String runtime = spec.runtime() != null ? spec.runtime() : spec.image() != null ? "image" : "python";
        String handler = spec.handler();
        if (handler == null && runtime.equals("python") && code != null && DEFINES_HANDLE.matcher(code).find()
                && !DEFINES_HANDLER.matcher(code).find()) {
            handler = SEED_HANDLER;
        }
        return new FunctionSpec(spec.name(), runtime, handler, spec.timeoutMs(), spec.memoryMb(), spec.cpuMillis(),
                spec.idleTtlMs(), spec.env(), spec.minInstances(), spec.maxInstances(), spec.concurrency(),
                spec.network(), spec.ociRuntime(), spec.image(), spec.maxRetries(), spec.retryBackoffMs(),
                spec.secrets(), spec.httpAccess(), spec.webhookSecret(), spec.deployDigest());
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

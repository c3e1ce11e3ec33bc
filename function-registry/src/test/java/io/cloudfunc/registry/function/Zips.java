package io.cloudfunc.registry.function;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds zip archives in memory for tests, including ones no well-behaved tool would write. */
public final class Zips {

    static final String HANDLER_SOURCE = "def handler(event, context):\n    return event\n";

    private Zips() {
    }

    /** A zip holding {@code function.py}, valid for the default handler. */
    public static byte[] helloFunction() {
        return zip(Map.of("function.py", HANDLER_SOURCE));
    }

    /** Entries in the given order; a name ending with {@code /} is a directory. */
    public static byte[] zip(Map<String, String> entries) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        entries.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.UTF_8)));
        return zipBytes(bytes);
    }

    static byte[] zipBytes(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                var zipEntry = new ZipEntry(entry.getKey());
                zipEntry.setTime(0); // same content, same bytes: tests compare digests of archives built twice
                zip.putNextEntry(zipEntry);
                if (!entry.getKey().endsWith("/")) {
                    zip.write(entry.getValue());
                }
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A small archive whose one entry inflates to {@code inflatedBytes} zero bytes. */
    static byte[] bomb(int inflatedBytes) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("function.py", HANDLER_SOURCE.getBytes(StandardCharsets.UTF_8));
        entries.put("data.bin", new byte[inflatedBytes]);
        return zipBytes(entries);
    }
}

package io.cloudfunc.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.tools.ToolProvider;

/**
 * The functions the harness deploys: an echo (returns its event) per runtime, so that what is measured is the
 * platform, not the function. Handlers of the Node and Java runtimes can be overridden with BENCH_NODE_HANDLER and
 * BENCH_JAVA_HANDLER should those runtimes name them differently.
 */
final class TestFunctions {

    static final String PYTHON_ECHO = "def handler(event):\n    return event\n";
    /** The same echo as a one-liner for the docker run / exec baselines (event on stdin, result on stdout). */
    static final String PYTHON_STDIN_ECHO = "import json,sys; print(json.dumps(json.load(sys.stdin)))";

    record Packaged(String runtime, String handler, byte[] zip) {
    }

    private TestFunctions() {
    }

    static Packaged node() throws IOException {
        String handler = System.getenv().getOrDefault("BENCH_NODE_HANDLER", "index.handler");
        return new Packaged("node", handler, zip(Map.of("index.js",
                "exports.handler = async (event) => event;\n".getBytes(StandardCharsets.UTF_8))));
    }

    static Packaged java(Path work) throws IOException {
        String handler = System.getenv().getOrDefault("BENCH_JAVA_HANDLER", "Echo::handle");
        String source = "public class Echo {\n    public static Object handle(Object event) {\n        return event;\n    }\n}\n";
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("Echo.java", source.getBytes(StandardCharsets.UTF_8));
        // ship the compiled class too, for a runtime that loads classes rather than compiling sources
        var compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler != null) {
            Path dir = Files.createDirectories(work.resolve("java-echo"));
            Path file = Files.writeString(dir.resolve("Echo.java"), source);
            if (compiler.run(null, null, null, "--release", "21", "-d", dir.toString(), file.toString()) == 0) {
                files.put("Echo.class", Files.readAllBytes(dir.resolve("Echo.class")));
            }
        }
        return new Packaged("java", handler, zip(files));
    }

    private static byte[] zip(Map<String, byte[]> files) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(bytes)) {
            for (var file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}

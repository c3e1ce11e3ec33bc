package io.cloudfunc.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The training run behind the CLI's AOT cache (JEP 514/515), run by the build: {@code java
 * -XX:AOTCacheOutput=cli.aot -cp cli-all.jar io.cloudfunc.cli.AotTraining}. It runs the everyday commands in-process
 * against a stand-in gateway on loopback, so that the classes they load and link (picocli's model, the HTTP client,
 * Jackson's tree and printer) are in the cache that {@code target/cloudfunc} starts with. Not a command of its own.
 */
final class AotTraining {

    private static final String FUNCTION = """
            {"name":"hello","runtime":"python","handler":"function.handler","latestVersion":1,"timeoutMs":30000,\
            "memoryMb":128,"env":{},"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}""";

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            exchange.getRequestBody().readAllBytes();
            int status = 200;
            String body;
            if (path.equals("/functions")) {
                body = "[" + FUNCTION + "]";
            } else if (path.equals("/functions/hello")) {
                body = FUNCTION;
            } else if (path.equals("/functions/hello/invoke")) {
                body = "{\"message\":\"Hello Alice!\"}";
                exchange.getResponseHeaders().add("X-CloudFunc-Start", "warm");
            } else {
                status = 404;
                body = "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no such function\"}";
            }
            exchange.getResponseHeaders().add("Content-Type",
                    status >= 400 ? "application/problem+json" : "application/json");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        String url = "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
        try {
            String[][] runs = {
                    {"list"}, {"list", "-o", "json"},
                    {"invoke", "hello", "-d", "{\"name\":\"Alice\"}", "-v"}, {"invoke", "hello", "-o", "json"},
                    {"describe", "hello"}, {"describe", "hullo"},
                    {"--help"}, {"list", "--help"}, {"invoke", "--help"}, {"deploy", "--help"}, {"no-such-command"}};
            for (String[] run : runs) {
                for (int i = 0; i < 3; i++) {
                    run(url, run);
                }
            }
        } finally {
            server.stop(0);
        }
    }

    private static void run(String url, String[] args) {
        String[] full = new String[args.length + 4];
        full[0] = "--url";
        full[1] = url;
        full[2] = "--config";
        full[3] = "/nonexistent/cloudfunc-training.json";
        System.arraycopy(args, 0, full, 4, args.length);
        var cmd = CloudFuncCli.commandLine(full);
        var discard = new PrintWriter(Writer.nullWriter());
        cmd.setOut(discard);
        cmd.setErr(discard);
        cmd.execute(full);
    }
}

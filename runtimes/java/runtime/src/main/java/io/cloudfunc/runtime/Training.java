package io.cloudfunc.runtime;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A training run for the JVM's ahead-of-time cache ({@code -XX:AOTCacheOutput}, JDK 25): the runtime serves
 * {@link TrainingFunction}, copied into a temporary code directory, over a real unix socket, through init, calls,
 * a failing call and an unfit event, as the manager would drive it. Fails loudly when an answer is not as expected,
 * so a broken runtime breaks the image build.
 */
final class Training {

    private static final JsonMapper JSON = JsonMapper.shared();

    private Training() {
    }

    static void run() throws Exception {
        Path dir = Files.createTempDirectory("cloudfunc-train-");
        try {
            Path code = dir.resolve("code");
            for (String name : List.of("TrainingFunction.class", "TrainingFunction$Event.class")) {
                Path target = code.resolve("io/cloudfunc/runtime").resolve(name);
                Files.createDirectories(target.getParent());
                try (InputStream in = Training.class.getResourceAsStream(name)) {
                    Files.copy(in, target);
                }
            }
            Path socket = dir.resolve("runtime.sock");
            Thread server = Thread.ofPlatform().start(() -> {
                try {
                    Main.run(socket, new FunctionRuntime());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SocketChannel client = connect(socket)) {
                DataInputStream in = new DataInputStream(Channels.newInputStream(client));
                OutputStream out = Channels.newOutputStream(client);
                expect(send(in, out, Map.of("type", "init", "handler", "io.cloudfunc.runtime.TrainingFunction",
                        "codeDir", code.toString(), "env", Map.of("TRAINING", "1"),
                        "function", Map.of("name", "training", "version", 1, "memoryMb", 128, "timeoutMs", 1000))),
                        "type", "ready");
                for (int i = 0; i < 200; i++) {
                    expect(invoke(in, out, Map.of("name", "Alice", "count", i, "tags", List.of("a", "b"))),
                            "ok", "true");
                }
                expect(invoke(in, out, Map.of("name", "Bob", "count", -1)), "ok", "false");
                expect(invoke(in, out, List.of("not", "an", "object")), "ok", "false");
            }
            server.join(10_000);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static SocketChannel connect(Path socket) throws Exception {
        for (int attempt = 0; attempt < 1000; attempt++) {
            try {
                return SocketChannel.open(UnixDomainSocketAddress.of(socket));
            } catch (IOException notYet) {
                Thread.sleep(5);
            }
        }
        return SocketChannel.open(StandardProtocolFamily.UNIX);
    }

    private static JsonNode invoke(DataInputStream in, OutputStream out, Object event) throws IOException {
        return send(in, out, Map.of("type", "invoke", "id", UUID.randomUUID().toString(), "event", event,
                "deadlineMs", System.currentTimeMillis() + 60_000));
    }

    private static JsonNode send(DataInputStream in, OutputStream out, Object message) throws IOException {
        byte[] body = JSON.writeValueAsBytes(message);
        out.write(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());
        byte[] answer = new byte[in.readInt()];
        in.readFully(answer);
        return JSON.readTree(answer);
    }

    private static void expect(JsonNode answer, String field, String value) {
        if (!answer.path(field).asString("").equals(value)) {
            throw new IllegalStateException("training: unexpected answer " + answer);
        }
    }
}

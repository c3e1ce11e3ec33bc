package io.cloudfunc.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.HdrHistogram.Histogram;

import io.cloudfunc.bench.load.Latencies;

/**
 * The floor: a round trip to the Python runtime inside a warm container over its unix socket, exactly as
 * docs/runtime-contract.md describes it, with no platform in between. The container is started here, with the
 * container-manager's isolation settings, and removed at the end.
 */
final class RuntimeFloor implements AutoCloseable {

    private final String container;
    private final Path dir;
    private final SocketChannel channel;
    private long sequence;

    private RuntimeFloor(String container, Path dir, SocketChannel channel) {
        this.container = container;
        this.dir = dir;
        this.channel = channel;
    }

    static RuntimeFloor start(String image, Path work, String label, String code) throws Exception {
        Path dir = Files.createDirectories(work.resolve("floor"));
        Path codeDir = Files.createDirectories(dir.resolve("code"));
        Files.writeString(codeDir.resolve("function.py"), code);
        // the runtime (uid 10001) creates its socket here; the directory is ours and short-lived
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        String name = "cf-bench-floor-" + label.replaceAll("[^a-zA-Z0-9_.-]", "-");
        Docker.run("rm", "-f", name);
        Docker.Result run = Docker.run("run", "-d", "--name", name, "--label", "io.cloudfunc.bench=" + label,
                "--network", "none", "--user", "10001:10001", "--read-only", "--tmpfs", "/tmp", "--init",
                "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--memory", "128m",
                "-v", dir + ":/cloudfunc", image);
        if (run.exit() != 0) {
            throw new IOException("could not start the runtime container: " + run.output());
        }
        Path socket = dir.resolve("runtime.sock");
        SocketChannel channel = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (channel == null) {
            try {
                if (Files.exists(socket)) {
                    channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                    channel.connect(UnixDomainSocketAddress.of(socket));
                }
            } catch (IOException notYet) {
                channel = null;
            }
            if (channel == null) {
                if (System.nanoTime() > deadline) {
                    Docker.run("rm", "-f", name);
                    throw new IOException("the runtime never opened " + socket);
                }
                Thread.sleep(5);
            }
        }
        var floor = new RuntimeFloor(name, dir, channel);
        String ready = floor.roundTrip("{\"type\":\"init\",\"handler\":\"function.handler\",\"codeDir\":\"/cloudfunc/code\","
                + "\"env\":{},\"function\":{\"name\":\"floor\",\"version\":1,\"memoryMb\":128,\"timeoutMs\":30000}}");
        if (!ready.contains("\"ready\"")) {
            floor.close();
            throw new IOException("the runtime answered init with " + ready);
        }
        return floor;
    }

    /** {@code calls} round trips one after the other; latency of each from send to full answer. */
    Latencies measure(int calls, String event) throws IOException {
        Histogram histogram = Latencies.newHistogram();
        long errors = 0;
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            String answer = roundTrip("{\"type\":\"invoke\",\"id\":\"f" + (++sequence) + "\",\"event\":" + event
                    + ",\"deadlineMs\":" + (System.currentTimeMillis() + 30_000) + "}");
            long t1 = System.nanoTime();
            if (answer.contains("\"ok\": true") || answer.contains("\"ok\":true")) {
                histogram.recordValue(Latencies.clampMicros(t1 - t0));
            } else {
                errors++;
            }
        }
        return Latencies.of(histogram, errors, (System.nanoTime() - start) / 1e9);
    }

    private String roundTrip(String json) throws IOException {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        ByteBuffer header = ByteBuffer.allocate(4);
        readFully(header);
        ByteBuffer body = ByteBuffer.allocate(header.flip().getInt());
        readFully(body);
        return new String(body.array(), StandardCharsets.UTF_8);
    }

    private void readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("the runtime closed the connection");
            }
        }
    }

    @Override
    public void close() throws Exception {
        try {
            channel.close();
        } finally {
            Docker.run("rm", "-f", container);
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

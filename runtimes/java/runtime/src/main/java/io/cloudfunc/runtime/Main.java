package io.cloudfunc.runtime;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * CloudFunc Java runtime: runs inside a function container. Listens on a unix socket ({@code $CLOUDFUNC_SOCKET},
 * default {@code /cloudfunc/runtime.sock}), accepts ONE connection from the container-manager, loads the function
 * once on {@code init} and calls it once per {@code invoke}, in this process. When init asks for concurrency N > 1,
 * it accepts N - 1 more connections (call slots), each served by a thread of its own, all calling the one handler
 * instance. Frames are a 4-byte big-endian length and a UTF-8 JSON object; the protocol is
 * docs/runtime-contract.md.
 * <p>
 * {@code --train}: serves a built-in function through a real socket for a moment and exits; the image build runs
 * it once to record the JVM's ahead-of-time cache (class loading and linking of the runtime, Jackson and the JDK
 * paths a call takes), which every container then starts from.
 */
public final class Main {

    static final int MAX_FRAME = 64 * 1024 * 1024;
    private static final PrintStream REAL_ERR = System.err;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--train")) {
            Training.run();
            return;
        }
        String path = System.getenv().getOrDefault("CLOUDFUNC_SOCKET", "/cloudfunc/runtime.sock");
        run(Path.of(path), new FunctionRuntime());
        System.exit(0); // threads the function left running must not keep the process alive
    }

    /**
     * Serves the first connection until the manager closes it. The socket keeps listening (without accepting) until
     * init has said how many call slots to open; then it accepts those, in the background, and closes.
     */
    static void run(Path socket, FunctionRuntime runtime) throws IOException {
        Files.deleteIfExists(socket);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket), 8);
            // Access is controlled by the per-container directory; the socket itself is open so that a manager
            // running under another uid during development can still connect.
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            try (SocketChannel connection = server.accept()) {
                serve(connection, runtime, server);
            }
        }
    }

    /**
     * Answers frames one at a time until the manager closes the connection. On the first connection (server given),
     * once init is answered, opens the call slots it asked for, or stops listening.
     */
    static void serve(SocketChannel connection, FunctionRuntime runtime, ServerSocketChannel server)
            throws IOException {
        DataInputStream in = new DataInputStream(Channels.newInputStream(connection));
        OutputStream out = Channels.newOutputStream(connection);
        while (true) {
            int size;
            try {
                size = in.readInt();
            } catch (EOFException closed) {
                return;
            }
            if (size < 0 || size > MAX_FRAME) {
                diag("frame of " + Integer.toUnsignedLong(size) + " bytes exceeds the limit, closing");
                return;
            }
            byte[] payload = new byte[size];
            try {
                in.readFully(payload);
            } catch (EOFException closed) {
                return;
            }
            byte[] answer = runtime.answer(payload);
            if (server != null && runtime.initAnswered()) {
                openSlots(server, runtime, runtime.extraSlots());
                server = null;
            }
            ByteBuffer frame = ByteBuffer.allocate(4 + answer.length).putInt(answer.length).put(answer).flip();
            out.write(frame.array(), 0, frame.limit());
        }
    }

    /**
     * Accepts the call slots' connections (the manager opens them right after ready), each served by a platform
     * thread: with one CPU, virtual threads would share one carrier, so a call computing without blocking would
     * hold up every other slot; platform threads are preempted by the kernel.
     */
    private static void openSlots(ServerSocketChannel server, FunctionRuntime runtime, int slots) throws IOException {
        if (slots <= 0) {
            server.close();
            return;
        }
        Thread.ofPlatform().daemon().name("cloudfunc-accept").start(() -> {
            try (server) {
                for (int slot = 1; slot <= slots; slot++) {
                    SocketChannel connection = server.accept();
                    Thread.ofPlatform().daemon().name("cloudfunc-slot-" + slot).start(() -> serveSlot(connection,
                            runtime));
                }
            } catch (IOException e) {
                diag("accepting call slots failed: " + e.getMessage());
            }
        });
    }

    private static void serveSlot(SocketChannel connection, FunctionRuntime runtime) {
        Thread.currentThread().setContextClassLoader(runtime.functionLoader());
        try (connection) {
            serve(connection, runtime, null);
        } catch (IOException e) {
            diag("call slot connection failed: " + e.getMessage()); // the manager discards the container
        }
    }

    static void diag(String message) {
        REAL_ERR.println("cloudfunc-runtime: " + message);
    }
}

package io.cloudfunc.containers.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.cloudfunc.containers.docker.ContainerEngine.AttachedRun;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code docker run -i} on one created container: attach to its stdin, stdout and stderr, start it, write the bytes
 * of stdin and close it, collect both output streams up to their caps, and wait for the exit within the time
 * allowed.
 *
 * <p>The attach is spoken here, over a socket of our own, rather than through docker-java: its hijacked connection
 * never half-closes the request side, so the container would wait for the end of its stdin for ever. Here the
 * write side is shut down once the event is written, which the engine passes on as end-of-file ({@code StdinOnce}).
 */
final class AttachedRunner {

    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);
    private static final int MAX_RESPONSE_HEAD = 16 * 1024;

    private final DockerClient docker;
    private final URI dockerHost;
    private final String containerId;

    AttachedRunner(DockerClient docker, URI dockerHost, String containerId) {
        this.docker = docker;
        this.dockerHost = dockerHost;
        this.containerId = containerId;
    }

    AttachedRun run(byte[] stdin, int maxStdout, int maxStderr, Duration timeout) {
        Capped stdout = new Capped(maxStdout);
        Capped stderr = new Capped(maxStderr);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = connect()) {
            InputStream in = Channels.newInputStream(channel);
            OutputStream out = Channels.newOutputStream(channel);
            out.write(("POST /containers/" + containerId + "/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\n"
                    + "Host: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readUpgrade(in);
            docker.startContainerCmd(containerId).exec();
            try {
                out.write(stdin);
                out.flush();
            } catch (IOException e) {
                // the process exited without reading its input: its exit code and output tell what happened
            }
            channel.shutdownOutput(); // end of stdin for the process

            // The stream ends when the process has exited (its stdout and stderr closed).
            FutureTask<Void> reading = new FutureTask<>(() -> {
                demultiplex(in, stdout, stderr);
                return null;
            });
            Thread.ofVirtual().name("cloudfunc-attach-" + shortId()).start(reading);
            try {
                reading.get(remaining(deadline), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                kill();
                return timedOut(stdout, stderr);
            } catch (ExecutionException e) {
                throw new ContainerEngineException("lost the output of container " + shortId() + ": "
                        + e.getCause().getMessage(), e.getCause());
            }
            Exit exit = exit(deadline);
            if (exit == null) { // output closed, yet the process lives on past the deadline
                kill();
                return timedOut(stdout, stderr);
            }
            return new AttachedRun(false, exit.code(), exit.oomKilled(), stdout.bytes(), stdout.overflow(),
                    stderr.bytes(), stderr.overflow());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new ContainerEngineException("interrupted while running container " + shortId(), e);
        } catch (IOException e) {
            throw new ContainerEngineException("could not attach to container " + shortId() + ": "
                    + e.getMessage(), e);
        } catch (ContainerEngineException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ContainerEngineException("could not run container " + shortId() + ": " + e.getMessage(), e);
        }
    }

    private SocketChannel connect() throws IOException {
        if ("unix".equals(dockerHost.getScheme())) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(dockerHost.getPath()));
            return channel;
        }
        return SocketChannel.open(new InetSocketAddress(dockerHost.getHost(), dockerHost.getPort()));
    }

    /** Reads the answer's head up to its blank line; anything but {@code 101}/{@code 200} is the engine's refusal. */
    private void readUpgrade(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0 || head.size() > MAX_RESPONSE_HEAD) {
                throw new EOFException("the engine closed the attach connection");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String status = head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
        if (!status.matches("HTTP/1\\.[01] (101|200) .*")) {
            throw new ContainerEngineException("the engine refused to attach to container " + shortId() + ": "
                    + status, null);
        }
    }

    /** Docker's multiplexed stream: 8-byte headers (stream type, 3 zero bytes, big-endian length), then payload. */
    private static void demultiplex(InputStream in, Capped stdout, Capped stderr) throws IOException {
        byte[] header = new byte[8];
        byte[] buffer = new byte[8192];
        while (true) {
            int n = in.readNBytes(header, 0, 8);
            if (n < 8) {
                return; // end of stream: the process has exited
            }
            Capped target = header[0] == 2 ? stderr : stdout;
            long length = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                    | (header[7] & 0xff);
            while (length > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, length));
                if (read < 0) {
                    return;
                }
                target.write(buffer, read);
                length -= read;
            }
        }
    }

    /** The exit code once the engine has recorded it (a moment after the streams closed); null if still running. */
    private Exit exit(long deadline) throws InterruptedException {
        long until = Math.min(deadline, System.nanoTime() + EXIT_WAIT.toNanos());
        do {
            InspectContainerResponse.ContainerState state;
            try {
                state = docker.inspectContainerCmd(containerId).exec().getState();
            } catch (NotFoundException e) {
                throw new ContainerEngineException("container " + shortId() + " vanished while it ran", e);
            }
            if (!Boolean.TRUE.equals(state.getRunning())) {
                Long code = state.getExitCodeLong();
                return new Exit(code != null ? code.intValue() : null, Boolean.TRUE.equals(state.getOOMKilled()));
            }
            Thread.sleep(10);
        } while (System.nanoTime() < until);
        return null;
    }

    private void kill() {
        try {
            docker.killContainerCmd(containerId).exec();
        } catch (RuntimeException e) {
            // already exited or gone: the caller removes it either way
        }
    }

    private static AttachedRun timedOut(Capped stdout, Capped stderr) {
        return new AttachedRun(true, null, false, stdout.bytes(), stdout.overflow(), stderr.bytes(),
                stderr.overflow());
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    private String shortId() {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }

    private record Exit(Integer code, boolean oomKilled) {
    }

    /** Keeps the first {@code cap} bytes of a stream and notes whether there was more. */
    private static final class Capped {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int cap;
        private boolean overflow;

        Capped(int cap) {
            this.cap = cap;
        }

        synchronized void write(byte[] payload, int length) {
            int room = cap - bytes.size();
            if (length > room) {
                overflow = true;
            }
            bytes.write(payload, 0, Math.max(0, Math.min(room, length)));
        }

        synchronized byte[] bytes() {
            return bytes.toByteArray();
        }

        synchronized boolean overflow() {
            return overflow;
        }
    }
}

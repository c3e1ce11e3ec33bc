package io.cloudfunc.runtime;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

/**
 * What the function writes to {@code System.out} and {@code System.err} during a call, interleaved, up to
 * {@link #CAP} bytes of UTF-8 per call. Installed once, before the function's classes are loaded, in place of both
 * streams: a write that belongs to a call goes to that call's {@link Capture}, any other (loading, a thread still
 * printing after its call returned) to the real streams, i.e. the container's own output.
 * <p>
 * Which call a write belongs to: with concurrency 1 there is one call at a time, so it is the call in flight,
 * whatever thread writes. With concurrency > 1 calls run at once, one thread per call slot, so it is the call the
 * writing thread runs ({@link ScopedValue}: the slot's thread, and threads forked from it in a
 * {@code StructuredTaskScope}); other threads (an executor's, the common fork-join pool) belong to no call. A scoped
 * value rather than an inheritable thread-local: a pool thread created during one call must not pass that call's
 * capture on to the work of another.
 */
final class CallLogs {

    static final int CAP = 64 * 1024;
    static final String TRUNCATED = "...[truncated]";

    private static final ScopedValue<Capture> CALL = ScopedValue.newInstance();

    private volatile boolean perThread;
    private volatile Capture current; // concurrency 1: the call in flight

    /** Replaces System.out and System.err with streams routed through this capture. */
    void install() {
        System.setOut(new PrintStream(new Router(System.out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Router(System.err), true, StandardCharsets.UTF_8));
    }

    /** Concurrency > 1: writes belong to the call of the writing thread, not to whichever call is in flight. */
    void perThread() {
        perThread = true;
    }

    /** Runs one call with a fresh capture of its own; the body ends it with {@link Capture#finish()}. */
    <T> T during(Function<Capture, T> body) {
        Capture capture = new Capture();
        if (perThread) {
            return ScopedValue.where(CALL, capture).call(() -> body.apply(capture));
        }
        current = capture;
        try {
            return body.apply(capture);
        } finally {
            current = null;
        }
    }

    private Capture captureOfThisWrite() {
        if (perThread) {
            return CALL.isBound() ? CALL.get() : null;
        }
        return current;
    }

    /** One call's output. Threads of the call may write at the same time: every method holds its lock. */
    static final class Capture {

        private byte[] buffer = new byte[0];
        private int size;
        private boolean truncated;
        private boolean open = true;

        /** Ends the capture and returns what the call wrote, marked when cut; later writes go to the real streams. */
        String finish() {
            System.out.flush();
            System.err.flush();
            synchronized (this) {
                open = false;
                String text = new String(buffer, 0, size, StandardCharsets.UTF_8);
                if (truncated) {
                    text = (text.isEmpty() || text.endsWith("\n") ? text : text + "\n") + TRUNCATED;
                }
                buffer = null;
                return text;
            }
        }

        /** Keeps the bytes; false when the call has ended (write them to the real stream). */
        private synchronized boolean add(byte[] data, int offset, int length) {
            if (!open) {
                return false;
            }
            if (truncated || length == 0) {
                return true;
            }
            int keep = Math.min(length, CAP - size);
            if (keep < length) {
                while (keep > 0 && (data[offset + keep] & 0xC0) == 0x80) {
                    keep--; // never cut a character in two
                }
                truncated = true;
            }
            if (size + keep > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(CAP, Math.max(size + keep, buffer.length * 2 + 256)));
            }
            System.arraycopy(data, offset, buffer, size, keep);
            size += keep;
            return true;
        }
    }

    private final class Router extends OutputStream {

        private final PrintStream real;

        Router(PrintStream real) {
            this.real = real;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] data, int offset, int length) {
            Capture capture = captureOfThisWrite();
            if (capture == null || !capture.add(data, offset, length)) {
                real.write(data, offset, length);
            }
        }

        @Override
        public void flush() {
            real.flush();
        }
    }
}

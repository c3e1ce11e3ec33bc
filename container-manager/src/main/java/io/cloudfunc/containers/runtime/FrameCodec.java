package io.cloudfunc.containers.runtime;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/** Frames of the runtime protocol: a 4-byte big-endian payload length, then the payload (UTF-8 JSON). */
public final class FrameCodec {

    static final int HEADER_BYTES = 4;

    private FrameCodec() {
    }

    /** Header and payload as two buffers, for one gathering write without copying the payload. */
    public static ByteBuffer[] encode(byte[] payload) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).putInt(0, payload.length);
        return new ByteBuffer[] {header, ByteBuffer.wrap(payload)};
    }

    /** A frame announced a payload larger than the reader accepts. */
    public static final class FrameTooLargeException extends IOException {

        private final long size;

        FrameTooLargeException(long size, int max) {
            super("frame of " + size + " bytes exceeds the limit of " + max + " bytes");
            this.size = size;
        }

        public long size() {
            return size;
        }
    }

    /**
     * Reads frames from a channel through one reusable buffer, so that a small frame usually costs a single read.
     * Not thread-safe: a connection has one caller at a time.
     */
    public static final class FrameReader {

        private final int initialCapacity;
        private final int maxFrame;
        /** Bytes received and not yet returned occupy [0, position). */
        private ByteBuffer buffer;

        public FrameReader(int initialCapacity, int maxFrame) {
            this.initialCapacity = Math.max(initialCapacity, HEADER_BYTES);
            this.maxFrame = maxFrame;
            this.buffer = ByteBuffer.allocate(this.initialCapacity);
        }

        /**
         * The next frame's payload.
         *
         * @throws EOFException           the peer closed the connection (before or within a frame)
         * @throws FrameTooLargeException the frame is larger than allowed; the stream cannot be trusted any more
         */
        public byte[] read(ReadableByteChannel channel) throws IOException {
            while (buffer.position() < HEADER_BYTES) {
                fill(channel);
            }
            long length = Integer.toUnsignedLong(buffer.getInt(0));
            if (length > maxFrame) {
                throw new FrameTooLargeException(length, maxFrame);
            }
            int total = HEADER_BYTES + (int) length;
            if (buffer.capacity() < total) {
                ByteBuffer larger = ByteBuffer.allocate(total);
                larger.put(buffer.flip());
                buffer = larger;
            }
            while (buffer.position() < total) {
                fill(channel);
            }
            byte[] payload = new byte[(int) length];
            buffer.get(HEADER_BYTES, payload);
            int extra = buffer.position() - total;
            if (extra > 0) {
                buffer.put(0, buffer, total, extra);
            } else if (buffer.capacity() > initialCapacity) {
                buffer = ByteBuffer.allocate(initialCapacity); // do not keep a big result's buffer for ever
            }
            buffer.position(extra);
            return payload;
        }

        private void fill(ReadableByteChannel channel) throws IOException {
            if (channel.read(buffer) < 0) {
                throw new EOFException(buffer.position() == 0
                        ? "connection closed by the runtime"
                        : "connection closed by the runtime in the middle of a frame");
            }
        }
    }
}

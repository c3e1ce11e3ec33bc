package io.cloudfunc.containers.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameCodecTests {

    @Test
    void encodesBigEndianLengthBeforePayload() {
        ByteBuffer[] frame = FrameCodec.encode("{\"type\":\"ready\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(frame[0].remaining()).isEqualTo(4);
        assertThat(frame[0].getInt(0)).isEqualTo(16);
        assertThat(frame[0].array()).containsExactly(0, 0, 0, 16);
        assertThat(StandardCharsets.UTF_8.decode(frame[1]).toString()).isEqualTo("{\"type\":\"ready\"}");
    }

    @Test
    void readsWhatWasEncodedEvenOneByteAtATime() throws Exception {
        byte[] stream = concat(bytes("{\"a\":1}"), bytes("{\"b\":\"\u00e9\u4e16\"}"), bytes(""));
        FrameCodec.FrameReader reader = new FrameCodec.FrameReader(8, 1024);
        ChunkedChannel channel = new ChunkedChannel(stream, 1);

        assertThat(text(reader.read(channel))).isEqualTo("{\"a\":1}");
        assertThat(text(reader.read(channel))).isEqualTo("{\"b\":\"\u00e9\u4e16\"}");
        assertThat(reader.read(channel)).isEmpty();
    }

    @Test
    void keepsBytesOfTheNextFrameReceivedInTheSameRead() throws Exception {
        byte[] stream = concat(bytes("first"), bytes("second"));
        FrameCodec.FrameReader reader = new FrameCodec.FrameReader(64, 1024);
        ChunkedChannel channel = new ChunkedChannel(stream, stream.length);

        assertThat(text(reader.read(channel))).isEqualTo("first");
        assertThat(text(reader.read(channel))).isEqualTo("second");
        assertThat(channel.reads).isEqualTo(1);
    }

    @Test
    void growsForFramesLargerThanItsBuffer() throws Exception {
        String large = "x".repeat(100_000);
        FrameCodec.FrameReader reader = new FrameCodec.FrameReader(16, 200_000);

        assertThat(text(reader.read(new ChunkedChannel(concat(bytes(large)), 4096)))).isEqualTo(large);
    }

    @Test
    void rejectsFrameLargerThanTheLimit() {
        FrameCodec.FrameReader reader = new FrameCodec.FrameReader(16, 10);

        assertThatThrownBy(() -> reader.read(new ChunkedChannel(concat(bytes("01234567890")), 64)))
                .isInstanceOf(FrameCodec.FrameTooLargeException.class)
                .hasMessageContaining("11 bytes");
    }

    @Test
    void rejectsLengthWithTheHighBitSetInsteadOfReadingANegativeSize() {
        FrameCodec.FrameReader reader = new FrameCodec.FrameReader(16, Integer.MAX_VALUE);
        byte[] header = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};

        assertThatThrownBy(() -> reader.read(new ChunkedChannel(header, 4)))
                .isInstanceOf(FrameCodec.FrameTooLargeException.class);
    }

    @Test
    void reportsEndOfStreamBeforeAndInsideAFrame() {
        FrameCodec.FrameReader reader = new FrameCodec.FrameReader(16, 1024);
        byte[] truncated = java.util.Arrays.copyOf(concat(bytes("complete")), 7);

        assertThatThrownBy(() -> reader.read(new ChunkedChannel(new byte[0], 1)))
                .isInstanceOf(EOFException.class).hasMessage("connection closed by the runtime");
        assertThatThrownBy(() -> new FrameCodec.FrameReader(16, 1024).read(new ChunkedChannel(truncated, 3)))
                .isInstanceOf(EOFException.class).hasMessageContaining("in the middle of a frame");
    }

    private static byte[] bytes(String payload) {
        ByteBuffer[] frame = FrameCodec.encode(payload.getBytes(StandardCharsets.UTF_8));
        ByteBuffer all = ByteBuffer.allocate(frame[0].remaining() + frame[1].remaining());
        all.put(frame[0]).put(frame[1]);
        return all.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** A channel handing out at most {@code chunk} bytes per read, then end of stream. */
    private static final class ChunkedChannel implements ReadableByteChannel {

        private final ByteBuffer data;
        private final int chunk;
        int reads;

        ChunkedChannel(byte[] data, int chunk) {
            this.data = ByteBuffer.wrap(data);
            this.chunk = chunk;
        }

        @Override
        public int read(ByteBuffer target) {
            reads++;
            if (!data.hasRemaining()) {
                return -1;
            }
            int n = Math.min(chunk, Math.min(target.remaining(), data.remaining()));
            ByteBuffer slice = data.slice(data.position(), n);
            target.put(slice);
            data.position(data.position() + n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}

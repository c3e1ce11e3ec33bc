package io.cloudfunc.containers.images;

import io.cloudfunc.support.image.ImageArchiveFormat;
import io.cloudfunc.support.problem.Problems;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Cheap checks on an upload before the engine sees it, and a cap on its size while it streams. */
final class ImageArchives {

    private ImageArchives() {
    }

    /**
     * Refuses (400) a body that is neither a tar nor compressed ({@link ImageArchiveFormat}). The stream must support
     * mark/reset; it is left unread.
     */
    static void checkLooksLikeArchive(InputStream in) throws IOException {
        in.mark(ImageArchiveFormat.HEAD_BYTES);
        byte[] head = in.readNBytes(ImageArchiveFormat.HEAD_BYTES);
        in.reset();
        if (head.length == 0) {
            throw Problems.invalidImageArchive("The body is empty: send the archive docker save writes.");
        }
        if (!ImageArchiveFormat.recognised(head)) {
            throw Problems.invalidImageArchive("The body is not a docker save archive (a tar file, possibly"
                    + " compressed).");
        }
    }

    /** Fails the read once more than {@code max} bytes went through, and remembers it did. */
    static final class LimitedInputStream extends FilterInputStream {

        private final long max;
        private long count;
        private volatile boolean exceeded;

        LimitedInputStream(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        boolean exceeded() {
            return exceeded;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(long n) throws IOException {
            count += n;
            if (count > max) {
                exceeded = true;
                throw new IOException("the archive is larger than " + max + " bytes");
            }
        }
    }
}

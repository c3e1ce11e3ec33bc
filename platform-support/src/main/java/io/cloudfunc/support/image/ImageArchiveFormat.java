package io.cloudfunc.support.image;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Recognises a {@code docker save} archive by its first bytes: a tar ({@code ustar} magic in its first header), or
 * a file compressed with one of the formats {@code docker load} unpacks itself (gzip, bzip2, xz, zstd). A cheap
 * check, so that a wrong file is refused in plain words before the engine reads it.
 */
public final class ImageArchiveFormat {

    /** Bytes to read from the start of an upload for {@link #recognised}. */
    public static final int HEAD_BYTES = 512;
    private static final int USTAR_OFFSET = 257;
    private static final byte[] USTAR = "ustar".getBytes(StandardCharsets.US_ASCII);

    private ImageArchiveFormat() {
    }

    /** Whether {@code head}, the first (up to) {@link #HEAD_BYTES} bytes of an upload, starts an image archive. */
    public static boolean recognised(byte[] head) {
        boolean tar = head.length >= HEAD_BYTES
                && Arrays.equals(head, USTAR_OFFSET, USTAR_OFFSET + USTAR.length, USTAR, 0, USTAR.length);
        return tar
                || starts(head, 0x1f, 0x8b) // gzip
                || starts(head, 'B', 'Z', 'h') // bzip2
                || starts(head, 0xfd, '7', 'z', 'X', 'Z') // xz
                || starts(head, 0x28, 0xb5, 0x2f, 0xfd); // zstd
    }

    private static boolean starts(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}

package io.cloudfunc.support.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImageArchiveFormatTests {

    @Test
    void recognisesATarByItsUstarMagic() {
        byte[] head = new byte[512];
        System.arraycopy("ustar".getBytes(StandardCharsets.US_ASCII), 0, head, 257, 5);

        assertThat(ImageArchiveFormat.recognised(head)).isTrue();
    }

    @Test
    void recognisesCompressedArchives() {
        assertThat(ImageArchiveFormat.recognised(new byte[] {0x1f, (byte) 0x8b, 8, 0})).isTrue();
        assertThat(ImageArchiveFormat.recognised("BZh91AY".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(ImageArchiveFormat.recognised(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0})).isTrue();
        assertThat(ImageArchiveFormat.recognised(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd})).isTrue();
    }

    @Test
    void refusesOtherFiles() {
        assertThat(ImageArchiveFormat.recognised("PK\3\4 a zip".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(ImageArchiveFormat.recognised(new byte[512])).isFalse();
        assertThat(ImageArchiveFormat.recognised(new byte[0])).isFalse();
        assertThat(ImageArchiveFormat.recognised(new byte[] {0x1f})).isFalse();
    }
}

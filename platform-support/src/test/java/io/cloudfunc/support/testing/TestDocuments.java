package io.cloudfunc.support.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Inputs the tests of several modules build the same way: a one-file tar, a deeply nested JSON document. */
public final class TestDocuments {

    private TestDocuments() {
    }

    /** A ustar archive holding one file: a tar, but not one {@code docker save} writes. */
    public static byte[] tar(String name, byte[] content) {
        var bytes = new ByteArrayOutputStream();
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, String.format("%011o", 0));
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        Arrays.fill(header, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        bytes.writeBytes(header);
        bytes.writeBytes(content);
        bytes.writeBytes(new byte[(512 - content.length % 512) % 512]);
        bytes.writeBytes(new byte[1024]);
        return bytes.toByteArray();
    }

    /** {"a":[{"a":[...1...]}]}: objects and arrays alternating, {@code depth} of them in all. */
    public static String nested(int depth) {
        var text = new StringBuilder();
        for (int level = 0; level < depth; level++) {
            text.append(level % 2 == 0 ? "{\"a\":" : "[");
        }
        text.append("1");
        for (int level = depth - 1; level >= 0; level--) {
            text.append(level % 2 == 0 ? "}" : "]");
        }
        return text.toString();
    }

    private static void put(byte[] header, int offset, String text) {
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(ascii, 0, header, offset, ascii.length);
    }
}

package io.cloudfunc.gateway.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Builds multipart/form-data bodies for requests, and parses the ones the gateway sends to the registry. */
public final class Multipart {

    /** One parsed part: its headers (lower-case names) and content. */
    public record Part(Map<String, String> headers, byte[] content) {

        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private final String boundary = "test-" + UUID.randomUUID();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    public Multipart field(String name, String value) {
        return part(name, null, null, value.getBytes(StandardCharsets.UTF_8));
    }

    public Multipart part(String name, String fileName, String contentType, byte[] content) {
        var header = new StringBuilder("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append('"');
        if (fileName != null) {
            header.append("; filename=\"").append(fileName).append('"');
        }
        header.append("\r\n");
        if (contentType != null) {
            header.append("Content-Type: ").append(contentType).append("\r\n");
        }
        header.append("\r\n");
        body.writeBytes(header.toString().getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public byte[] bytes() {
        var all = new ByteArrayOutputStream();
        all.writeBytes(body.toByteArray());
        all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return all.toByteArray();
    }

    /** Parts by name, from a body and its Content-Type header. */
    public static Map<String, Part> parse(String contentType, byte[] body) {
        String boundary = contentType.substring(contentType.indexOf("boundary=") + "boundary=".length());
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        var parts = new LinkedHashMap<String, Part>();
        int start = indexOf(body, delimiter, 0);
        while (start >= 0) {
            int headersStart = start + delimiter.length;
            if (body[headersStart] == '-' && body[headersStart + 1] == '-') {
                break;
            }
            headersStart += 2;
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), headersEnd);
            var headers = new LinkedHashMap<String, String>();
            for (String line : new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8)
                    .split("\r\n")) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).strip());
            }
            String disposition = headers.get("content-disposition");
            int nameAt = disposition.indexOf("name=\"") + "name=\"".length();
            String name = disposition.substring(nameAt, disposition.indexOf('"', nameAt));
            parts.put(name, new Part(headers, Arrays.copyOfRange(body, headersEnd + 4, next)));
            start = next + 2;
        }
        return parts;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

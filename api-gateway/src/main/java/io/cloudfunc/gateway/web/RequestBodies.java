package io.cloudfunc.gateway.web;

import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a request body without ever holding more than a limit: a 413 as soon as it is clear the body is too big.
 * Memory follows the bytes that arrived, not the {@code Content-Length} a client declares: a slow client announcing
 * 6 MB costs 64 KB until it really sends more.
 */
public final class RequestBodies {

    /** The most allocated before the first byte arrives, whatever the declared length. */
    static final int INITIAL_BUFFER = 64 * 1024;

    private RequestBodies() {
    }

    /**
     * @param what names the body in the 413 detail, e.g. "the event"
     */
    public static byte[] read(HttpServletRequest request, long limit, String what) {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(what, limit);
        }
        try (InputStream in = request.getInputStream()) {
            int expected = declared >= 0 ? (int) Math.min(declared, INITIAL_BUFFER) : 8192;
            byte[] buffer = new byte[Math.max(expected, 16)];
            int length = 0;
            while (true) {
                if (length == buffer.length) {
                    // Full: grow only if more bytes really come (the usual case is the end of a body whose
                    // length was declared), and never past the limit.
                    int next = in.read();
                    if (next < 0) {
                        break;
                    }
                    if (length + 1 > limit) {
                        throw tooLarge(what, limit);
                    }
                    buffer = Arrays.copyOf(buffer, (int) Math.min(limit + 1, (long) buffer.length * 2));
                    buffer[length++] = (byte) next;
                    continue;
                }
                int read = in.read(buffer, length, buffer.length - length);
                if (read < 0) {
                    break;
                }
                length += read;
                if (length > limit) {
                    throw tooLarge(what, limit);
                }
            }
            return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
        } catch (IOException e) {
            throw Problems.invalidRequest("The request body could not be read completely.");
        }
    }

    private static ProblemException tooLarge(String what, long limit) {
        return Problems.payloadTooLarge("The body is too large: " + what + " may be at most " + describe(limit) + ".");
    }

    static String describe(long bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MB";
        }
        if (bytes % 1024 == 0) {
            return bytes / 1024 + " KB";
        }
        return bytes + " bytes";
    }
}

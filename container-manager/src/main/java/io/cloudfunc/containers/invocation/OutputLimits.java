package io.cloudfunc.containers.invocation;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.runtime.CallOutcome;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationLogs;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/**
 * The caps on what one call may hand back: its result (as JSON) and its logs. Whatever a runtime does, a result
 * over the cap fails the call and logs over it are cut and marked, never silently.
 */
final class OutputLimits {

    static final String TRUNCATION_MARK = ContainerManagerProperties.Limits.TRUNCATION_MARK;

    private final long maxResultBytes;
    private final int maxLogBytes;

    OutputLimits(long maxResultBytes, long maxLogBytes) {
        this.maxResultBytes = maxResultBytes;
        this.maxLogBytes = (int) Math.min(Integer.MAX_VALUE, maxLogBytes);
    }

    /** The limits a call can run into, as the {@code limit} tag of the {@code cloudfunc.limits.hit} counter. */
    enum Limit {
        TIMEOUT("timeout"), MEMORY("memory"), RESULT_SIZE("result-size"), LOG_SIZE("log-size");

        private final String tag;

        Limit(String tag) {
            this.tag = tag;
        }

        String tag() {
            return tag;
        }
    }

    /** Which limits a finished call ran into, read from how it ended. */
    static Set<Limit> limitsHit(InvocationStatus status, FunctionError error, String logs) {
        Set<Limit> hit = EnumSet.noneOf(Limit.class);
        if (status == InvocationStatus.TIMED_OUT) {
            hit.add(Limit.TIMEOUT);
        }
        if (error != null && "OutOfMemoryError".equals(error.type())) {
            hit.add(Limit.MEMORY);
        }
        if (error != null && "ResultTooLarge".equals(error.type())) {
            hit.add(Limit.RESULT_SIZE);
        }
        if (InvocationLogs.isTruncated(logs)) {
            hit.add(Limit.LOG_SIZE);
        }
        return hit;
    }

    static OutputLimits of(ContainerManagerProperties.Limits limits) {
        return new OutputLimits(limits.maxResultSize().toBytes(), limits.maxLogSize().toBytes());
    }

    /** The outcome as the platform reports it: logs capped, and a failure instead of a result over the cap. */
    CallOutcome enforce(CallOutcome outcome) {
        String logs = capLogs(outcome.logs());
        if (outcome.ok() && outcome.answerBytes() > maxResultBytes) {
            // Only a frame bigger than the cap can hold a result bigger than it: measure the result exactly then.
            long resultBytes = outcome.result() == null ? 0
                    : outcome.result().toString().getBytes(StandardCharsets.UTF_8).length;
            if (resultBytes > maxResultBytes) {
                return new CallOutcome(false, null, FunctionError.of("ResultTooLarge", "the function returned "
                        + resultBytes + " bytes of JSON; results are limited to " + maxResultBytes + " bytes"),
                        logs, outcome.answerBytes());
            }
        }
        return logs == outcome.logs() ? outcome
                : new CallOutcome(outcome.ok(), outcome.result(), outcome.error(), logs, outcome.answerBytes());
    }

    /**
     * Logs of at most the cap (in UTF-8 bytes), cut on a character boundary and ended with {@link #TRUNCATION_MARK}.
     * Logs a runtime already cut at the same cap and marked (cap + mark) are left as they are.
     */
    String capLogs(String logs) {
        if (logs == null) {
            return "";
        }
        if (logs.length() <= maxLogBytes / 3) {
            return logs; // at most 3 UTF-8 bytes per UTF-16 unit: surely within the cap, no need to encode
        }
        int bytes = utf8Length(logs);
        int allowance = logs.endsWith(TRUNCATION_MARK) ? TRUNCATION_MARK.length() : 0;
        if (bytes <= maxLogBytes + allowance) {
            return logs;
        }
        return cut(logs, maxLogBytes) + TRUNCATION_MARK;
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The longest prefix whose UTF-8 encoding fits in {@code maxBytes}, never splitting a character. */
    private static String cut(String text, int maxBytes) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer in = CharBuffer.wrap(text);
        encoder.encode(in, ByteBuffer.allocate(maxBytes), true); // stops before the first character that would not fit
        return text.substring(0, in.position());
    }
}

package io.cloudfunc.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cloudfunc.support.problem.ProblemException;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class RequestBodiesTests {

    private static final long SIX_MB = 6L * 1024 * 1024;

    /** A request that declares one length and delivers the given bytes, as a slow or lying client does. */
    private static MockHttpServletRequest request(long declared, byte[] body) {
        ByteArrayInputStream bytes = new ByteArrayInputStream(body);
        return new MockHttpServletRequest("POST", "/functions/f/invoke") {
            @Override
            public long getContentLengthLong() {
                return declared;
            }

            @Override
            public ServletInputStream getInputStream() {
                return new ServletInputStream() {
                    @Override
                    public int read() {
                        return bytes.read();
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) {
                        // A few bytes at a time, as they trickle in over a slow connection.
                        return bytes.read(buffer, offset, Math.min(length, 1000));
                    }

                    @Override
                    public boolean isFinished() {
                        return bytes.available() == 0;
                    }

                    @Override
                    public boolean isReady() {
                        return true;
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        throw new UnsupportedOperationException();
                    }
                };
            }
        };
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void allocatesForTheBytesThatArriveNotForTheDeclaredLength() {
        byte[] small = "{\"a\":1}".getBytes();
        RequestBodies.read(request(SIX_MB, small), SIX_MB, "the event"); // warm up class loading

        long before = allocatedBytes();
        byte[] body = RequestBodies.read(request(SIX_MB, small), SIX_MB, "the event");
        long allocated = allocatedBytes() - before;

        assertThat(body).isEqualTo(small);
        assertThat(allocated).as("bytes allocated for a 7-byte body declared as 6 MB").isLessThan(512 * 1024);
    }

    @Test
    void readsABodyLargerThanTheInitialBufferCompletely() {
        byte[] large = new byte[3 * RequestBodies.INITIAL_BUFFER + 17];
        new Random(42).nextBytes(large);

        assertThat(RequestBodies.read(request(large.length, large), SIX_MB, "the event")).isEqualTo(large);
        assertThat(RequestBodies.read(request(-1, large), SIX_MB, "the event")).isEqualTo(large);
    }

    @Test
    void readsABodyOfExactlyTheLimit() {
        byte[] body = new byte[100_000];

        assertThat(RequestBodies.read(request(body.length, body), body.length, "the event")).hasSize(100_000);
    }

    @Test
    void refusesABodyThatGrowsPastTheLimitAsItArrivesEvenWhenItDeclaredLess() {
        byte[] body = new byte[200_000];

        ProblemException tooLarge = catchThrowableOfType(ProblemException.class,
                () -> RequestBodies.read(request(1000, body), 100_000, "the event"));

        assertThat(tooLarge.problem().getStatus()).isEqualTo(413);
        assertThat(tooLarge.problem().getDetail()).contains("the event may be at most");
    }

    @Test
    void refusesADeclaredLengthAboveTheLimitBeforeReading() {
        ProblemException tooLarge = catchThrowableOfType(ProblemException.class,
                () -> RequestBodies.read(request(SIX_MB + 1, new byte[0]), SIX_MB, "the event"));

        assertThat(tooLarge.problem().getStatus()).isEqualTo(413);
    }
}

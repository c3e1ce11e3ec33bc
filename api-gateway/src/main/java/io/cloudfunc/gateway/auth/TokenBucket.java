package io.cloudfunc.gateway.auth;

/**
 * A token bucket: holds up to {@code burst} tokens, refilled continuously at {@code perSecond}; a request takes one.
 * Time is passed in (nanoseconds) so that tests need no clock.
 */
final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int perSecond;
    private final int burst;
    private double tokens;
    private long updatedNanos;

    TokenBucket(int perSecond, int burst, long nowNanos) {
        if (perSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("a token bucket needs a positive rate and burst");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.updatedNanos = nowNanos;
    }

    boolean hasLimits(int perSecond, int burst) {
        return this.perSecond == perSecond && this.burst == burst;
    }

    /** Takes a token: 0 when one was there, else how many nanoseconds until one will be. */
    synchronized long tryTake(long nowNanos) {
        long elapsed = nowNanos - updatedNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + (double) elapsed * perSecond / NANOS_PER_SECOND);
            updatedNanos = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) * NANOS_PER_SECOND / perSecond);
    }
}

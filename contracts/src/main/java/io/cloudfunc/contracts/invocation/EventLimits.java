package io.cloudfunc.contracts.invocation;

/**
 * How deep an event may nest, checked once where it enters the platform (the gateway); every later hop reads
 * documents at least {@link #DOCUMENT_DEPTH} deep, so what the gateway accepted is never refused further on.
 */
public final class EventLimits {

    /** Arrays and objects inside one another, the outermost counting as 1. */
    public static final int MAX_DEPTH = 256;

    /**
     * Digits of a number in an event when written out in full ({@code 1e3} is 4): PostgreSQL's jsonb stores numbers so
     * (the registry's records), and every hop reads documents with Jackson's default limit of 1000 digits.
     */
    public static final int MAX_NUMBER_DIGITS = 1000;

    /**
     * The depth every service's JSON reading must allow: an event or a result inside the envelopes that carry it (a
     * reply, a record inside a batch of records, a runtime frame), with room to spare.
     */
    public static final int DOCUMENT_DEPTH = MAX_DEPTH + 16;

    private EventLimits() {
    }
}

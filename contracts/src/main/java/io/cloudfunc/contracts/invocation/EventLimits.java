package io.cloudfunc.contracts.invocation;

/**
 * How deep an event may nest, checked once where it enters the platform (the gateway); every later hop reads
 * documents at least {@link #DOCUMENT_DEPTH} deep, so what the gateway accepted is never refused further on.
 */
public final class EventLimits {

    /** Arrays and objects inside one another, the outermost counting as 1. */
    public static final int MAX_DEPTH = 256;

    /**
     * The depth every service's JSON reading must allow: an event or a result inside the envelopes that carry it (a
     * reply, a record inside a batch of records, a runtime frame), with room to spare.
     */
    public static final int DOCUMENT_DEPTH = MAX_DEPTH + 16;

    private EventLimits() {
    }
}

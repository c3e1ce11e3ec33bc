package io.cloudfunc.contracts.function;

import java.util.List;

/** The network modes a function may ask for. */
public final class Networks {

    /** No network interface but loopback: the default. */
    public static final String NONE = "none";

    /** A dedicated Docker network with outbound access, isolated from the host's loopback services. */
    public static final String OUTBOUND = "outbound";

    public static final List<String> ALL = List.of(NONE, OUTBOUND);

    private Networks() {
    }
}

package io.cloudfunc.containers.pool;

/** Docker labels on every function container, to find them again (orphan clean-up, operators' `docker ps`). */
public final class Labels {

    public static final String MANAGED = "io.cloudfunc.managed";
    public static final String FUNCTION = "io.cloudfunc.function";
    public static final String VERSION = "io.cloudfunc.version";
    public static final String MANAGER = "io.cloudfunc.manager";
    /** The runtime its image runs (python, node, ...). */
    public static final String RUNTIME = "io.cloudfunc.runtime";
    /** On containers started generic (prewarmed): they never get function labels, since labels cannot change. */
    public static final String PREWARMED = "io.cloudfunc.prewarmed";
    /** The container key: names its directory under the socket root. */
    public static final String KEY = "io.cloudfunc.key";

    private Labels() {
    }
}

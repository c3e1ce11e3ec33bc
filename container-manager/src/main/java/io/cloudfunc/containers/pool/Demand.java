package io.cloudfunc.containers.pool;

/**
 * What a call of one function needs from the pool.
 *
 * @param prewarmable whether a prewarmed generic container of {@code runtime} may take the function (not for
 *                    functions with network access, their own OCI runtime or their own image: those are set when
 *                    a container is created and cannot be changed afterwards)
 */
public record Demand(FunctionKey function, String runtime, int memoryMb, int maxInstances, int concurrency,
                     boolean prewarmable) {

    /** The same demand with another maxInstances. */
    public Demand withMax(int maxInstances) {
        return new Demand(function, runtime, memoryMb, maxInstances, concurrency, prewarmable);
    }
}

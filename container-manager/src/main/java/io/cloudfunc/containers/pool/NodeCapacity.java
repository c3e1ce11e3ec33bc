package io.cloudfunc.containers.pool;

/** What this manager may run at most: a memory budget shared by all its containers, and a number of containers. */
public record NodeCapacity(long memoryBudgetMb, int maxContainers) {
}

package io.cloudfunc.contracts.stats;

/**
 * One function's figures for the calls one of its versions ran in a window: how the versions of a traffic split
 * (a weighted alias) compare. The invocations of all versions sum to the function's.
 */
public record VersionStats(int version, FunctionStats stats) {
}

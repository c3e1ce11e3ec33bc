package io.cloudfunc.contracts.function;

/**
 * One version of a weighted alias and its share of the calls through it, in percent (the weights of an alias sum
 * to 100; an alias that points at one version has that version with weight 100).
 */
public record AliasWeight(Integer version, Integer weight) {
}

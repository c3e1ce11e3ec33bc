package io.cloudfunc.registry.function;

import java.time.Instant;

/** An alias as its row stores it: the view without its weights, which {@link AliasWeights} keeps. */
record AliasRow(long id, String functionName, String alias, int version, Instant createdAt, Instant updatedAt) {
}

package io.cloudfunc.contracts.function;

import java.time.Instant;

/** An alias of a function: a name that points to one of its versions and can be moved (rollback = move back). */
public record AliasView(String functionName, String alias, int version, Instant createdAt, Instant updatedAt) {
}

package io.cloudfunc.contracts.function;

import java.time.Instant;
import java.util.List;

/**
 * An alias of a function: a name that points to one of its versions, or splits its calls between several by weight
 * (A/B tests, canaries), and can be moved (rollback = move back).
 *
 * @param version the version it points to; in a split, the first version listed (the main one)
 * @param weights the versions and their shares in percent, summing to 100: one entry (weight 100) when the alias
 *                points at one version
 */
public record AliasView(String functionName, String alias, int version, List<AliasWeight> weights,
                        Instant createdAt, Instant updatedAt) {
}

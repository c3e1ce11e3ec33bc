package io.cloudfunc.contracts.function;

import java.util.List;

/**
 * Body of {@code PUT /functions/{name}/aliases/{alias}}: either the one version the alias is to point to
 * ({@code {"version": 3}}), or a traffic split between up to four versions whose weights sum to 100
 * ({@code {"weights": [{"version": 3, "weight": 90}, {"version": 4, "weight": 10}]}}); setting one version ends a
 * split.
 */
public record AliasRequest(Integer version, List<AliasWeight> weights) {

    /** Most versions one alias may split its calls between. */
    public static final int MAX_WEIGHTS = 4;

    public AliasRequest(Integer version) {
        this(version, null);
    }
}

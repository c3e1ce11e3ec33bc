package io.cloudfunc.contracts.function;

/** Body of {@code PUT /functions/{name}/aliases/{alias}}: the version the alias is to point to. */
public record AliasRequest(Integer version) {
}

package io.cloudfunc.contracts.auth;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What an API key may do. Each role includes the ones below it: an admin may do everything, a developer everything
 * but managing keys, an invoker only invoke functions and read the invocations it made. Written in lower case in
 * JSON ({@code "admin"}).
 */
public enum ApiKeyRole {

    /** Invoke functions; read only the invocations made with this key (and their logs). */
    @JsonProperty("invoker") INVOKER,
    /** Deploy, update, delete and read functions and every invocation; invoke. */
    @JsonProperty("developer") DEVELOPER,
    /** Everything, API keys included. */
    @JsonProperty("admin") ADMIN;

    /** Whether a key of this role may do what {@code required} may. */
    public boolean includes(ApiKeyRole required) {
        return compareTo(required) >= 0;
    }

    /** The role's name as the API and the CLI write it ({@code admin}). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

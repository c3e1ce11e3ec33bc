package io.cloudfunc.gateway.auth;

import io.cloudfunc.contracts.auth.ApiKeyRole;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;

/**
 * Who made the request: the API key the gateway verified, set on every authenticated request as the attribute
 * {@link #ATTRIBUTE}. Controllers use it to pass the key id on and to restrict what an invoker reads.
 */
public record Caller(UUID keyId, String keyName, ApiKeyRole role) {

    public static final String ATTRIBUTE = Caller.class.getName();

    /** The caller of {@code request}; fails for a public path, where there is none. */
    public static Caller of(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof Caller caller) {
            return caller;
        }
        throw new IllegalStateException("no authenticated caller on " + request.getRequestURI());
    }

    /**
     * The key whose records alone this caller may read, or null when it may read everyone's: an invoker sees only
     * the invocations it made; developers and admins see all.
     */
    public UUID ownerFilter() {
        return role == ApiKeyRole.INVOKER ? keyId : null;
    }
}

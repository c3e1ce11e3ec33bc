package io.cloudfunc.gateway.support;

import io.cloudfunc.support.auth.ApiKeySecrets;
import java.util.UUID;

/** An API key a stub registry knows: its secret, and the key view the registry answers for its hash. */
public record TestKey(UUID id, String name, String role, String secret) {

    /**
     * Makes a key of {@code role} known to {@code registry}; {@code extra} is appended to the key's JSON (e.g.
     * {@code ,"revokedAt":"..."}), or null.
     */
    public static TestKey register(StubService registry, String role, String extra) {
        UUID id = UUID.randomUUID();
        String name = role + "-" + id.toString().substring(0, 8);
        var key = new TestKey(id, name, role, "test-secret-" + id);
        String view = "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"role\":\"" + role
                + "\",\"prefix\":\"test\",\"createdAt\":\"2026-01-01T00:00:00Z\"" + (extra == null ? "" : extra) + "}";
        registry.answer("GET", "/internal/keys/by-hash/" + ApiKeySecrets.hash(key.secret()),
                StubService.Answer.json(200, view));
        registry.answer("GET", "/internal/keys/" + id, StubService.Answer.json(200, view));
        return key;
    }
}

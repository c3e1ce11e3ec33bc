package io.cloudfunc.contracts.function;

import java.util.List;

/**
 * Who may call a function as an HTTP function ({@code ANY /fn/{name}}): the registry's answer to the gateway's
 * {@code GET /internal/functions/{name}/http-access}, on the internal network only.
 *
 * @param mode          {@link #KEY}, {@link #PUBLIC} or {@link #WEBHOOK}
 * @param webhookSecret for {@link #WEBHOOK}: the key of the body's HMAC-SHA256; null otherwise
 */
public record HttpAccess(String mode, String webhookSecret) {

    /** An API key of role invoker or higher (the default). */
    public static final String KEY = "key";
    /** Anyone, without a key. */
    public static final String PUBLIC = "public";
    /** A request whose {@code X-Hub-Signature-256} is {@code sha256=} and the hex HMAC-SHA256 of its body. */
    public static final String WEBHOOK = "webhook";
    public static final List<String> MODES = List.of(KEY, PUBLIC, WEBHOOK);
    /** GitHub's header for the signature, and the prefix of its value. */
    public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    public static final String SIGNATURE_PREFIX = "sha256=";

    /** The secret stays out of logs. */
    @Override
    public String toString() {
        return "HttpAccess[mode=" + mode + ", webhookSecret=" + (webhookSecret == null ? null : "(set)") + "]";
    }
}

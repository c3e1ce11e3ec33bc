package io.cloudfunc.contracts.trigger;

import java.net.URI;

/**
 * How a trigger's broker URL is shown: its password (or token) as {@code ***}. The registry shows URLs so, and
 * {@code cloudfunc deploy -f} masks a declared URL the same way to compare it with what the registry shows.
 */
public final class TriggerUrls {

    private TriggerUrls() {
    }

    /** {@code uri} with the password of its user info (or the whole user info, a token) replaced by {@code ***}. */
    public static String mask(URI uri) {
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) {
            return uri.toString();
        }
        int colon = userInfo.indexOf(':');
        String masked = colon >= 0 ? userInfo.substring(0, colon) + ":***" : "***";
        String rest = uri.toString().substring(uri.toString().indexOf('@'));
        return uri.getScheme() + "://" + masked + rest;
    }

    /** Whether {@code uri} holds a secret the masked form hides. */
    public static boolean hasSecret(URI uri) {
        return uri.getRawUserInfo() != null;
    }
}

package io.cloudfunc.support.callback;

import io.cloudfunc.support.problem.Problems;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The rule for {@code callbackUrl}: an absolute {@code http://} or {@code https://} URL with a host, no user info, at
 * most 2048 characters. Anything else is the caller's mistake (400) before the call is accepted. The gateway checks
 * it, and the scheduler again for callers that reach it directly.
 */
public final class CallbackUrls {

    public static final int MAX_LENGTH = 2048;

    private CallbackUrls() {
    }

    /** The URL, stripped; a 400 problem when it breaks the rule. */
    public static String checked(String callbackUrl) {
        String url = callbackUrl.strip();
        if (url.length() > MAX_LENGTH) {
            throw Problems.invalidRequest("callbackUrl is longer than " + MAX_LENGTH + " characters.");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawUserInfo() == null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // falls through
        }
        throw Problems.invalidRequest("callbackUrl '" + url + "' must be an absolute http:// or https:// URL with a"
                + " host and no user info.");
    }
}

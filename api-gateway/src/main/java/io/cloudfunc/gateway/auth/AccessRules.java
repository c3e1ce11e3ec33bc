package io.cloudfunc.gateway.auth;

import io.cloudfunc.contracts.auth.ApiKeyRole;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which role a request needs, from its method and path: public paths need none, a few invoker paths need
 * {@link ApiKeyRole#INVOKER}, {@code /keys} and {@code /nodes/{id}/drain} need {@link ApiKeyRole#ADMIN}, everything else
 * {@link ApiKeyRole#DEVELOPER}. The path is read the way Spring MVC maps it (path parameters after {@code ;} ignored,
 * segments decoded, empty segments skipped); whatever does not match a rule exactly falls to the stricter default.
 */
final class AccessRules {

    private AccessRules() {
    }

    /** The role needed, or empty for a public path. */
    static Optional<ApiKeyRole> required(String method, String path) {
        List<String> s = segments(path);
        if (isPublic(s)) {
            return Optional.empty();
        }
        if (!s.isEmpty() && s.getFirst().toLowerCase(Locale.ROOT).startsWith("keys")) {
            // every key can read itself (cloudfunc login checks a key this way); the rest is the admin's
            boolean current = s.size() == 2 && s.get(1).equals("current") && "GET".equals(method);
            return Optional.of(current ? ApiKeyRole.INVOKER : ApiKeyRole.ADMIN);
        }
        if (s.size() == 3 && s.get(0).equals("nodes") && s.get(2).equals("drain")) {
            return Optional.of(ApiKeyRole.ADMIN); // POST /nodes/{id}/drain takes a node out of service
        }
        return Optional.of(isInvokerPath(method, s) ? ApiKeyRole.INVOKER : ApiKeyRole.DEVELOPER);
    }

    private static boolean isPublic(List<String> s) {
        if (s.isEmpty()) {
            return false;
        }
        return switch (s.getFirst()) {
            case "actuator" -> s.size() >= 2 && s.get(1).equals("health");
            case "health" -> s.size() == 1;
            case "v3" -> s.size() >= 2 && s.get(1).equals("api-docs");
            case "swagger-ui.html" -> s.size() == 1;
            case "swagger-ui" -> true;
            case "dashboard" -> true; // the page and its files; its API calls carry the key
            default -> false;
        };
    }

    /** Invoke a function (or call an HTTP function); read an invocation, its logs, or a function's invocations (the invoker sees its own). */
    private static boolean isInvokerPath(String method, List<String> s) {
        if (s.size() >= 2 && s.get(0).equals("fn")) {
            return true; // an HTTP function, any method: ANY /fn/{name}[/{path}]
        }
        if ("POST".equals(method)) {
            return s.size() == 3 && s.get(0).equals("functions") && s.get(2).equals("invoke")
                    || s.size() == 2 && s.get(0).equals("invoke"); // seed 002's POST /invoke/{name}
        }
        if (!"GET".equals(method)) {
            return false;
        }
        return s.size() == 2 && s.get(0).equals("invocations")
                || s.size() == 3 && s.get(0).equals("invocations") && s.get(2).equals("logs")
                || s.size() == 3 && s.get(0).equals("functions") && s.get(2).equals("invocations");
    }

    /** The path's segments as Spring MVC matches them. */
    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String raw : path.split("/")) {
            int semicolon = raw.indexOf(';');
            String segment = semicolon >= 0 ? raw.substring(0, semicolon) : raw;
            if (segment.isEmpty()) {
                continue;
            }
            try {
                segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                segments.add(segment);
            }
        }
        return segments;
    }
}

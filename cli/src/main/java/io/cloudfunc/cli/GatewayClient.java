package io.cloudfunc.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import io.cloudfunc.contracts.problem.ProblemTypes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's HTTP API as the CLI uses it. Error answers become {@link CliException}s carrying their detail.
 *
 * <p>Built on {@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: a command makes one or a few
 * plain requests, and the newer client sets up TLS (the whole trust store) and a selector thread before its first
 * request even for http://, a tenth of a second of a command's start.
 */
final class GatewayClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        // a POST is never sent twice (an invocation would run twice): HttpURLConnection's default re-sends one whose
        // answer did not come on a reused connection
        if (System.getProperty("sun.net.http.retryPost") == null) {
            System.setProperty("sun.net.http.retryPost", "false");
        }
    }

    static final int CONNECT_TIMEOUT_MS = 5_000;
    static final int READ_TIMEOUT_MS = 16 * 60_000;

    private final URI base;
    private final String apiKey;

    /** An answer: status, body and headers (looked up ignoring case). */
    record Response(int statusCode, byte[] body, Map<String, List<String>> headers) {

        Optional<String> header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }
    }

    /** A request body, written once to the connection; its length is known beforehand (no chunked uploads). */
    interface Body {
        long length();

        void writeTo(OutputStream out) throws IOException;

        /**
         * Whether the body goes to the socket as it is written (a file upload) rather than from memory. A streamed
         * request cannot read a 401's answer ({@code HttpURLConnection} gives up on it, expecting to re-send), so only
         * bodies too big to hold are streamed.
         */
        default boolean streamed() {
            return true;
        }

        static Body of(byte[] bytes) {
            return new Body() {
                @Override
                public long length() {
                    return bytes.length;
                }

                @Override
                public void writeTo(OutputStream out) throws IOException {
                    out.write(bytes);
                }

                @Override
                public boolean streamed() {
                    return false;
                }
            };
        }

        /** {@code length} bytes read from the stream {@code open} gives, closed afterwards. */
        static Body of(long length, IoSupplier<InputStream> open) {
            return new Body() {
                @Override
                public long length() {
                    return length;
                }

                @Override
                public void writeTo(OutputStream out) throws IOException {
                    try (InputStream in = open.get()) {
                        in.transferTo(out);
                    }
                }
            };
        }
    }

    /** Opens a stream; may throw {@link IOException}. */
    @FunctionalInterface
    interface IoSupplier<T> {
        T get() throws IOException;
    }

    /** A client for the gateway at {@code url} (from --url or CLOUDFUNC_URL), refused (exit 2) unless http(s)://host. */
    GatewayClient(String url) {
        this(url, null);
    }

    /** With an API key sent as {@code Authorization: Bearer <key>} on every request (none when null). */
    GatewayClient(String url, String apiKey) {
        this.base = gatewayUri(url);
        if (apiKey != null && apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new CliException(ExitCodes.USAGE, "the API key holds spaces or characters that cannot be sent "
                    + "in a header; copy it again");
        }
        this.apiKey = apiKey;
    }

    URI base() {
        return base;
    }

    static URI gatewayUri(String url) {
        var invalid = new CliException(ExitCodes.USAGE, "invalid --url '" + url
                + "' (or CLOUDFUNC_URL): expected http://host[:port][/path] or https://...");
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException e) {
            throw invalid;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid;
        }
        return uri;
    }

    /** {@code path} (starting with '/') below the gateway URL, keeping a path prefix such as http://host/cloudfunc. */
    URI resolve(String path) {
        String prefix = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + prefix + path);
    }

    /** The body of a successful answer as JSON; anything else means --url does not point at a CloudFunc gateway. */
    JsonNode json(Response response) {
        try {
            return JSON.readTree(response.body());
        } catch (RuntimeException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "CloudFunc at " + base + " answered HTTP "
                    + response.statusCode() + " with something that is not JSON (is --url the gateway's address?)");
        }
    }

    Response get(String path) {
        return send("GET", path, null, null);
    }

    Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    Response post(String path, String contentType, Body body) {
        return send("POST", path, contentType, body);
    }

    Response putJson(String path, byte[] json) {
        return send("PUT", path, "application/json", Body.of(json));
    }

    Response postJson(String path, byte[] json) {
        return post(path, "application/json", Body.of(json));
    }

    private Response send(String method, String path, String contentType, Body body) {
        Response response;
        try {
            response = exchange(method, path, contentType, body);
        } catch (ConnectException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "cannot reach CloudFunc at " + base
                    + " (is the platform running? set --url or CLOUDFUNC_URL)");
        } catch (SocketTimeoutException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "CloudFunc at " + base + " did not answer in time");
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "talking to CloudFunc at " + base + " failed: " + e.getMessage());
        }
        if (response.statusCode() >= 400) {
            String message = describeError(response);
            if (response.statusCode() == 401 && apiKey == null) {
                message += " (no API key given: use --api-key, CLOUDFUNC_API_KEY or 'cloudfunc login')";
            }
            String unknown = unknownFunction(response);
            if (unknown != null) {
                message += didYouMean(unknown);
            }
            throw new CliException(ExitCodes.forStatus(response.statusCode()), message);
        }
        return response;
    }

    private Response exchange(String method, String path, String contentType, Body body) throws IOException {
        var connection = (HttpURLConnection) resolve(path).toURL().openConnection();
        try {
            connection.setRequestMethod(method);
            connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
            connection.setReadTimeout(READ_TIMEOUT_MS);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestProperty("Accept", "application/json, application/problem+json");
            if (apiKey != null) {
                connection.setRequestProperty("Authorization", "Bearer " + apiKey);
            }
            if (body != null) {
                connection.setRequestProperty("Content-Type", contentType);
                connection.setDoOutput(true);
                if (body.streamed()) {
                    connection.setFixedLengthStreamingMode(body.length());
                }
                try (OutputStream out = connection.getOutputStream()) {
                    body.writeTo(out);
                }
            }
            int status = connection.getResponseCode();
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            connection.getHeaderFields().forEach((name, values) -> {
                if (name != null) {
                    headers.put(name, values);
                }
            });
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            byte[] bytes;
            if (in == null) {
                bytes = new byte[0];
            } else {
                try (in) {
                    bytes = in.readAllBytes();
                }
            }
            return new Response(status, bytes, headers);
        } finally {
            connection.disconnect();
        }
    }

    /** The function name a 404 says does not exist at all (not a missing version of it), or null. */
    static String unknownFunction(Response response) {
        if (response.statusCode() != 404) {
            return null;
        }
        try {
            JsonNode problem = JSON.readTree(response.body());
            JsonNode name = problem.get("functionName");
            return ProblemTypes.FUNCTION_NOT_FOUND.toString().equals(problem.path("type").asString(""))
                    && name != null && name.isString() && !problem.has("version") ? name.asString() : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    /**
     * " (did you mean 'hello_fn'?)" when a deployed function's name is close to {@code name}, else "". Asks the
     * gateway for the names; when that fails too (a key that may not list functions), there is no suggestion.
     */
    private String didYouMean(String name) {
        try {
            Response listed = exchange("GET", "/functions", null, null);
            if (listed.statusCode() != 200) {
                return "";
            }
            List<String> names = new ArrayList<>();
            for (JsonNode function : JSON.readTree(listed.body())) {
                if (function.path("name").isString()) {
                    names.add(function.path("name").asString());
                }
            }
            return Suggestions.closest(name, names).map(close -> " (did you mean '" + close + "'?)").orElse("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The problem detail's own words: its detail, else its title, else the status. */
    static String describeError(Response response) {
        try {
            JsonNode problem = JSON.readTree(response.body());
            String text = firstText(problem, "detail", "title");
            if (text != null) {
                return text;
            }
        } catch (RuntimeException notJson) {
            // fall through: not a problem detail
        }
        return "the platform answered HTTP " + response.statusCode();
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value != null && value.isString() && !value.asString().isBlank()) {
                return value.asString();
            }
        }
        return null;
    }
}

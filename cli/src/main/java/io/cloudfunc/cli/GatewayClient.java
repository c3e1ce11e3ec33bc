package io.cloudfunc.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The gateway's HTTP API as the CLI uses it. Error answers become {@link CliException}s carrying their detail. */
final class GatewayClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String apiKey;
    private final HttpClient http;

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
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
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
    JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (RuntimeException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "CloudFunc at " + base + " answered HTTP "
                    + response.statusCode() + " with something that is not JSON (is --url the gateway's address?)");
        }
    }

    HttpResponse<byte[]> get(String path) {
        return send(request(path).GET().build());
    }

    HttpResponse<byte[]> delete(String path) {
        return send(request(path).DELETE().build());
    }

    HttpResponse<byte[]> post(String path, String contentType, BodyPublisher body) {
        return send(request(path).header("Content-Type", contentType).POST(body).build());
    }

    HttpResponse<byte[]> putJson(String path, byte[] json) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofByteArray(json)).build());
    }

    HttpResponse<byte[]> postJson(String path, byte[] json) {
        return post(path, "application/json", BodyPublishers.ofByteArray(json));
    }

    private HttpRequest.Builder request(String path) {
        var request = HttpRequest.newBuilder(resolve(path))
                .timeout(Duration.ofMinutes(16))
                .header("Accept", "application/json, application/problem+json");
        return apiKey == null ? request : request.header("Authorization", "Bearer " + apiKey);
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "cannot reach CloudFunc at " + base
                    + " (is the platform running? set --url or CLOUDFUNC_URL)");
        } catch (HttpTimeoutException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "CloudFunc at " + base + " did not answer in time");
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "talking to CloudFunc at " + base + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNEXPECTED, "interrupted");
        }
        if (response.statusCode() >= 400) {
            String message = describeError(response);
            if (response.statusCode() == 401 && apiKey == null) {
                message += " (no API key given: use --api-key, CLOUDFUNC_API_KEY or 'cloudfunc login')";
            }
            throw new CliException(ExitCodes.forStatus(response.statusCode()), message);
        }
        return response;
    }

    /** The problem detail's own words: its detail, else its title, else the status. */
    static String describeError(HttpResponse<byte[]> response) {
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

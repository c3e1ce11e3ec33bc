package io.cloudfunc.registry.trigger;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.trigger.CreateTrigger;
import io.cloudfunc.contracts.trigger.TriggerKind;
import io.cloudfunc.contracts.trigger.TriggerUrls;
import io.cloudfunc.support.problem.Problems;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * What a trigger may be, checked before anything is stored: its name (the function-name rule), kind, source and
 * dead-letter syntax per protocol, URL scheme per kind, concurrency 1 to 64. Pure functions.
 */
final class TriggerRules {

    static final int MAX_CONCURRENCY = 64;
    private static final int MAX_DESTINATION = 255;
    /** RabbitMQ queue names: what people use (the broker allows more; these need no quoting anywhere). */
    private static final Pattern QUEUE = Pattern.compile("^[A-Za-z0-9._:/-]{1,255}$");
    private static final Pattern NATS_TOKEN = Pattern.compile("^[^\\s.*>]+$");

    private TriggerRules() {
    }

    /** A trigger as it will be stored, everything checked; {@code url} null for the default broker. */
    record Checked(String name, TriggerKind kind, String source, String url, String maskedUrl, int concurrency,
                   String deadLetter) {
    }

    static Checked check(CreateTrigger request) {
        if (request == null) {
            throw Problems.invalidRequest("the body must be a JSON object: {\"kind\": \"rabbitmq\", \"source\": "
                    + "\"orders\"} at least");
        }
        TriggerKind kind = TriggerKind.parse(request.kind()).orElseThrow(() -> Problems.invalidRequest(
                "invalid trigger kind '" + request.kind() + "': rabbitmq, mqtt or nats").with("kind", request.kind()));
        String name = request.name() == null ? kind.wireName() + "-" + HexFormat.of().toHexDigits(
                ThreadLocalRandom.current().nextInt()).substring(0, 6) : request.name();
        if (!FunctionNames.isValid(name)) {
            throw Problems.invalidRequest("invalid trigger name '" + name + "': a trigger name is 1 to 63 lowercase "
                    + "letters, digits, dashes and underscores, starting with a letter or digit").with("trigger", name);
        }
        String source = request.source();
        checkDestination(kind, source, "source", true);
        if (request.deadLetter() != null) {
            checkDestination(kind, request.deadLetter(), "deadLetter", false);
        }
        int concurrency = request.concurrency() == null ? 1 : request.concurrency();
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw Problems.invalidRequest("concurrency must be 1 to " + MAX_CONCURRENCY + ", got " + concurrency)
                    .with("concurrency", concurrency);
        }
        String url = request.url() == null || request.url().isBlank() ? null : request.url().strip();
        String masked = url == null ? null : checkUrl(kind, url);
        return new Checked(name, kind, source, url, masked, concurrency, request.deadLetter());
    }

    /** The URL with its password (or token) as {@code ***}; refuses a URL that is not one of the kind's schemes. */
    static String checkUrl(TriggerKind kind, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw badUrl(kind, "it is not a valid URL");
        }
        if (uri.getScheme() == null || !kind.schemes().contains(uri.getScheme().toLowerCase(java.util.Locale.ROOT))) {
            throw badUrl(kind, "its scheme must be " + String.join(", ", kind.schemes()));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw badUrl(kind, "it names no host");
        }
        if (uri.getRawFragment() != null) {
            throw badUrl(kind, "it has a fragment");
        }
        return TriggerUrls.mask(uri);
    }

    private static RuntimeException badUrl(TriggerKind kind, String why) {
        // never the URL itself in the answer: it may hold a password
        return Problems.invalidRequest("invalid " + kind.wireName() + " url: " + why
                + " (e.g. " + example(kind) + ")");
    }

    private static String example(TriggerKind kind) {
        return switch (kind) {
            case RABBITMQ -> "amqp://user:password@host:5672/vhost";
            case MQTT -> "tcp://host:1883";
            case NATS -> "nats://host:4222";
        };
    }

    /**
     * A queue name (RabbitMQ), a topic (MQTT: wildcards {@code +} and {@code #} only in a source, each a whole level,
     * {@code #} last) or a subject (NATS: dot-separated tokens, wildcards {@code *} and {@code >} only in a source).
     */
    static void checkDestination(TriggerKind kind, String value, String field, boolean wildcards) {
        if (value == null || value.isBlank()) {
            throw Problems.invalidRequest(field + " is required: the " + kind.source() + " to "
                    + (wildcards ? "consume" : "send failed messages to")).with("field", field);
        }
        if (value.length() > MAX_DESTINATION) {
            throw invalid(kind, field, value, "at most " + MAX_DESTINATION + " characters");
        }
        switch (kind) {
            case RABBITMQ -> {
                if (!QUEUE.matcher(value).matches() || value.startsWith("amq.")) {
                    throw invalid(kind, field, value, "letters, digits and . _ : / -, not starting with amq.");
                }
            }
            case MQTT -> checkTopic(kind, field, value, wildcards);
            case NATS -> checkSubject(kind, field, value, wildcards);
        }
    }

    private static void checkTopic(TriggerKind kind, String field, String value, boolean wildcards) {
        if (value.startsWith("$share/") || value.chars().anyMatch(c -> c == 0 || Character.isISOControl(c))) {
            throw invalid(kind, field, value, "no control characters, not a $share/ subscription (the platform "
                    + "shares the topic between its schedulers itself)");
        }
        String[] levels = value.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            boolean wildcard = level.equals("+") || level.equals("#");
            if ((level.contains("+") || level.contains("#")) && (!wildcard || !wildcards)) {
                throw invalid(kind, field, value, wildcards ? "+ and # must each be a whole level"
                        : "no wildcards (+, #) in a topic to publish to");
            }
            if (level.equals("#") && i != levels.length - 1) {
                throw invalid(kind, field, value, "# must be the last level");
            }
        }
    }

    private static void checkSubject(TriggerKind kind, String field, String value, boolean wildcards) {
        String[] tokens = value.split("\\.", -1);
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            if (wildcards && (token.equals("*") || token.equals(">") && i == tokens.length - 1)) {
                continue;
            }
            if (!NATS_TOKEN.matcher(token).matches()) {
                throw invalid(kind, field, value, "dot-separated tokens without spaces" + (wildcards
                        ? "; * a whole token, > the last one" : "; no wildcards (*, >) in a subject to publish to"));
            }
        }
    }

    private static RuntimeException invalid(TriggerKind kind, String field, String value, String rule) {
        return Problems.invalidRequest("invalid " + field + " '" + value + "' for a " + kind.wireName() + " trigger: "
                + kind.source() + " names are " + rule).with("field", field);
    }
}

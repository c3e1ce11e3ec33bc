package io.cloudfunc.cli;

import static io.cloudfunc.cli.StackFile.mapping;
import static io.cloudfunc.cli.StackFile.scalar;
import static io.cloudfunc.cli.StackFile.text;

import io.cloudfunc.cli.StackFile.Invalid;
import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.trigger.TriggerKind;
import io.cloudfunc.contracts.trigger.TriggerUrls;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A function's {@code schedules:} and {@code triggers:} in a {@link StackFile}, each a mapping of name to settings:
 *
 * <pre>
 * schedules:
 *   nightly:
 *     cron: "0 3 * * *"        # five fields, a macro (@daily) or @every 30s
 *     timezone: Europe/Paris   # default UTC
 *     data: {report: daily}    # any YAML mapping: the event of every tick (default {})
 *     paused: false
 * triggers:
 *   orders:
 *     rabbitmq: orders         # or mqtt: TOPIC, or nats: SUBJECT
 *     url: ${ORDERS_URL}       # default: the platform's broker of that kind
 *     concurrency: 2           # 1 to 64, default 1
 *     deadLetter: orders.dead
 * </pre>
 *
 * What the CLI can check itself is checked here, with the line and field: the names, the keys, a cron's shape (five
 * fields or a macro or {@code @every DURATION}), the time zone, the URL's scheme for its kind, the concurrency. The
 * platform checks the rest when the deploy sends it (a cron field out of range, a queue name's characters).
 */
final class StackFileEvents {

    /** The keys of a schedule and of a trigger. */
    static final Set<String> SCHEDULE_FIELDS = Set.of("cron", "timezone", "data", "paused");
    static final Set<String> TRIGGER_FIELDS = Set.of("rabbitmq", "mqtt", "nats", "url", "concurrency", "deadLetter");
    private static final int MAX_CONCURRENCY = 64;
    private static final Set<String> CRON_MACROS = Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily",
            "@midnight", "@hourly");
    private static final Pattern EVERY = Pattern.compile("@every\\s+(\\d{1,9}(ms|s|m|h|d))+",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CRON_FIELD = Pattern.compile("[0-9A-Za-z*/,?#-]+");

    /**
     * A declared schedule as the deploy sends it. {@code timezone} is {@code UTC} and {@code data} {@code {}} when not
     * given: the platform's defaults, so that a schedule declared without them compares equal to the one it made.
     */
    record DeclaredSchedule(String name, int line, String cron, String timezone, JsonNode data, boolean paused) {
    }

    /**
     * A declared trigger as the deploy sends it, {@code url} with its {@code ${VAR}} resolved (null: the platform's
     * broker). {@code maskedUrl} is the URL as the platform shows it (password as {@code ***}); {@code secretUrl}
     * says the URL holds a password or token, which the platform never shows back.
     */
    record DeclaredTrigger(String name, int line, TriggerKind kind, String source, String url, String maskedUrl,
                           boolean secretUrl, int concurrency, String deadLetter) {
    }

    /** Replaces {@code ${VAR}} in a value (or leaves it, when the file is read for a delete). */
    @FunctionalInterface
    interface Expander {
        String expand(Node node, String at, String value);
    }

    private final Expander expander;

    StackFileEvents(Expander expander) {
        this.expander = expander;
    }

    Map<String, DeclaredSchedule> schedules(Node node, String at) {
        Map<String, DeclaredSchedule> schedules = new LinkedHashMap<>();
        for (var entry : mapping(node, at, null).entrySet()) {
            String name = entry.getKey();
            String field = at + "." + name;
            Node key = entry.getValue().getKeyNode();
            if (!FunctionNames.isValid(name)) {
                throw new Invalid(key, field, "invalid schedule name: " + FunctionNames.RULE);
            }
            Map<String, NodeTuple> fields = mapping(entry.getValue().getValueNode(), field, SCHEDULE_FIELDS);
            NodeTuple cron = fields.get("cron");
            if (cron == null) {
                throw new Invalid(key, field + ".cron", "missing: five fields (minute hour day-of-month month "
                        + "day-of-week) like \"0 3 * * *\", a macro like @daily, or @every 30s");
            }
            String expression = scalar(cron.getValueNode(), field + ".cron").strip();
            checkCron(cron.getValueNode(), field + ".cron", expression);
            String timezone = text(fields, "timezone", field, "UTC");
            try {
                ZoneId.of(timezone);
            } catch (DateTimeException e) {
                throw new Invalid(fields.get("timezone").getValueNode(), field + ".timezone",
                        "not a time zone: an id such as UTC or Europe/Paris");
            }
            NodeTuple data = fields.get("data");
            if (data != null && !(data.getValueNode() instanceof MappingNode)) {
                throw new Invalid(data.getValueNode(), field + ".data", "must be a mapping (the event of every "
                        + "tick is a JSON object), e.g. {report: daily}");
            }
            // through text and back: numbers as the platform's answer will hold them, so that equal data compares equal
            JsonNode json = data == null ? JsonNodeFactory.instance.objectNode() : GatewayClient.JSON.readTree(
                    GatewayClient.JSON.writeValueAsBytes(json(data.getValueNode())));
            schedules.put(name, new DeclaredSchedule(name, StackFile.line(key), expression, timezone, json,
                    flag(fields, "paused", field)));
        }
        return schedules;
    }

    Map<String, DeclaredTrigger> triggers(Node node, String at) {
        Map<String, DeclaredTrigger> triggers = new LinkedHashMap<>();
        for (var entry : mapping(node, at, null).entrySet()) {
            String name = entry.getKey();
            String field = at + "." + name;
            Node key = entry.getValue().getKeyNode();
            if (!FunctionNames.isValid(name)) {
                throw new Invalid(key, field, "invalid trigger name: " + FunctionNames.RULE);
            }
            Map<String, NodeTuple> fields = mapping(entry.getValue().getValueNode(), field, TRIGGER_FIELDS);
            List<TriggerKind> kinds = new ArrayList<>();
            for (TriggerKind kind : TriggerKind.values()) {
                if (fields.containsKey(kind.wireName())) {
                    kinds.add(kind);
                }
            }
            if (kinds.size() != 1) {
                throw new Invalid(key, field, "a trigger names one source: rabbitmq: QUEUE, mqtt: TOPIC or "
                        + "nats: SUBJECT" + (kinds.isEmpty() ? "" : ", not several"));
            }
            TriggerKind kind = kinds.getFirst();
            String source = text(fields, kind.wireName(), field, null);
            String url = null;
            String masked = null;
            boolean secret = false;
            NodeTuple urlField = fields.get("url");
            if (urlField != null) {
                Node value = urlField.getValueNode();
                url = expander.expand(value, field + ".url", scalar(value, field + ".url")).strip();
                if (!url.contains("${")) { // left as written when the file is read for a delete
                    URI uri = brokerUri(value, field + ".url", kind, url);
                    masked = TriggerUrls.mask(uri);
                    secret = TriggerUrls.hasSecret(uri);
                }
            }
            int concurrency = 1;
            NodeTuple given = fields.get("concurrency");
            if (given != null) {
                String text = scalar(given.getValueNode(), field + ".concurrency");
                if (!text.matches("\\d{1,2}") || Integer.parseInt(text) < 1
                        || Integer.parseInt(text) > MAX_CONCURRENCY) {
                    throw new Invalid(given.getValueNode(), field + ".concurrency", "must be 1 to " + MAX_CONCURRENCY);
                }
                concurrency = Integer.parseInt(text);
            }
            triggers.put(name, new DeclaredTrigger(name, StackFile.line(key), kind, source, url, masked, secret,
                    concurrency, text(fields, "deadLetter", field, null)));
        }
        return triggers;
    }

    /** The shape of a cron the platform reads; the values of its fields are the platform's to check. */
    private static void checkCron(Node node, String at, String cron) {
        String lower = cron.toLowerCase(Locale.ROOT);
        if (lower.startsWith("@every")) {
            if (!EVERY.matcher(cron).matches()) {
                throw new Invalid(node, at, "@every takes a duration such as 30s, 5m, 1h30m or 1d");
            }
            return;
        }
        if (cron.startsWith("@")) {
            if (!CRON_MACROS.contains(lower)) {
                throw new Invalid(node, at, "unknown macro; the macros are " + String.join(", ",
                        CRON_MACROS.stream().sorted().toList()) + ", and @every DURATION");
            }
            return;
        }
        String[] fields = cron.split("\\s+");
        if (fields.length != 5) {
            throw new Invalid(node, at, "a cron expression has five fields (minute hour day-of-month month "
                    + "day-of-week), this one has " + fields.length);
        }
        for (String field : fields) {
            if (!CRON_FIELD.matcher(field).matches()) {
                throw new Invalid(node, at, "'" + field + "' is not a cron field (numbers, names, * / , - ? L W #)");
            }
        }
    }

    /** The broker's URL, its scheme one of the kind's; a mistake never shows the URL, which may hold a password. */
    private static URI brokerUri(Node node, String at, TriggerKind kind, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Invalid(node, at, "not a valid URL (e.g. " + example(kind) + ")");
        }
        if (uri.getScheme() == null || !kind.schemes().contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
            throw new Invalid(node, at, "a " + kind.wireName() + " URL starts with " + String.join("://, ",
                    kind.schemes()) + "://, e.g. " + example(kind));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new Invalid(node, at, "names no host (e.g. " + example(kind) + ")");
        }
        return uri;
    }

    private static String example(TriggerKind kind) {
        return switch (kind) {
            case RABBITMQ -> "amqp://user:password@host:5672/vhost";
            case MQTT -> "tcp://host:1883";
            case NATS -> "nats://host:4222";
        };
    }

    private static boolean flag(Map<String, NodeTuple> fields, String field, String at) {
        String text = text(fields, field, at, "false");
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new Invalid(fields.get(field).getValueNode(), at + "." + field, "must be true or false");
        };
    }

    /** YAML as JSON: mappings, lists, and scalars typed as YAML reads them (numbers, true/false, null, text). */
    static JsonNode json(Node node) {
        var factory = JsonNodeFactory.instance;
        if (node instanceof MappingNode mapping) {
            ObjectNode object = factory.objectNode();
            for (NodeTuple tuple : mapping.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                    throw new Invalid(tuple.getKeyNode(), "data", "a key must be a name");
                }
                object.set(key.getValue(), json(tuple.getValueNode()));
            }
            return object;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = factory.arrayNode();
            sequence.getValue().forEach(item -> array.add(json(item)));
            return array;
        }
        ScalarNode scalar = (ScalarNode) node;
        String value = scalar.getValue();
        Tag tag = scalar.getTag();
        try {
            if (Tag.NULL.equals(tag)) {
                return factory.nullNode();
            }
            if (Tag.BOOL.equals(tag)) {
                return factory.booleanNode(Boolean.parseBoolean(value.toLowerCase(Locale.ROOT)));
            }
            if (Tag.INT.equals(tag)) {
                return factory.numberNode(new BigInteger(value.replace("_", "")));
            }
            if (Tag.FLOAT.equals(tag)) {
                return factory.numberNode(new BigDecimal(value.replace("_", "")));
            }
        } catch (NumberFormatException e) {
            // a form Java does not read (0x1F, .inf): kept as the text it is
        }
        return factory.stringNode(value);
    }
}

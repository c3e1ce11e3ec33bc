package io.cloudfunc.cli;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.function.FunctionRefs;
import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.contracts.function.HttpAccess;
import io.cloudfunc.contracts.function.ResourceQuantities;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A {@code cloudfunc.yml}: the functions of a project, each with its folder and configuration, deployed and deleted
 * together ({@code cloudfunc deploy -f}, {@code cloudfunc delete -f}). Read as YAML nodes (snakeyaml-engine, which
 * builds no Java objects from tags), so that every mistake is reported with its line and field:
 * {@code cloudfunc.yml:7: functions.hello.memory: must be a size like 256m}. The whole file is checked before anything
 * is sent: a file with a mistake deploys nothing.
 *
 * <pre>
 * functions:
 *   hello:
 *     folder: hello            # relative to the file
 *     runtime: python
 *     memory: 256m
 *     env: {GREETING: Hello}
 *     secrets: {API_TOKEN: ${API_TOKEN}}   # from the environment
 *     aliases: [live]
 *     http: {access: public}
 *     schedules:               # exactly these (StackFileEvents)
 *       nightly: {cron: "0 3 * * *", timezone: Europe/Paris, data: {report: daily}}
 *     triggers:
 *       orders: {rabbitmq: orders, url: ${ORDERS_URL}, concurrency: 2, deadLetter: orders.dead}
 * </pre>
 *
 * Only the commands that take {@code -f} load this class, {@link StackFileEvents}, {@link StackEvents} and
 * snakeyaml-engine: the others start without them.
 *
 * @param file      the file as named on the command line (messages use this name)
 * @param functions the functions it declares, in the file's order
 */
record StackFile(Path file, List<StackFunction> functions) {

    /** The keys of a function. */
    static final List<String> FUNCTION_FIELDS = List.of("folder", "runtime", "handler", "memory", "cpu", "timeout",
            "idleTtl", "env", "secrets", "secretsFile", "aliases", "http", "minInstances", "maxInstances",
            "concurrency", "network", "ociRuntime", "image", "maxRetries", "retryBackoff", "schedules", "triggers");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final List<String> RUNTIMES = List.of("python", "node", "java", "image");
    private static final int MAX_FILE_BYTES = 1024 * 1024;

    /**
     * One declared function. {@code folder} is resolved against the file's folder; null for an image function
     * without code. {@code spec} holds the settings as a deploy sends them, secrets resolved. {@code schedules} and
     * {@code triggers} are null when the function does not declare the key (its schedules or triggers are then left
     * as they are), else exactly the ones it is to have, by name.
     */
    record StackFunction(String name, int line, Path folder, FunctionSpec spec, List<String> aliases,
                         Map<String, StackFileEvents.DeclaredSchedule> schedules,
                         Map<String, StackFileEvents.DeclaredTrigger> triggers) {

        /** A function with neither schedules nor triggers declared. */
        StackFunction(String name, int line, Path folder, FunctionSpec spec, List<String> aliases) {
            this(name, line, folder, spec, aliases, null, null);
        }
    }

    /** What a file is read for: a delete needs only the names, so its secrets and folders are not looked at. */
    enum Purpose { DEPLOY, DELETE }

    /** A mistake in the file: its line (1-based), the field's path and what is wrong. */
    static final class Invalid extends RuntimeException {
        Invalid(Node node, String field, String problem) {
            super(line(node) + ": " + field + ": " + problem);
        }

        Invalid(int line, String problem) {
            super(line + ": " + problem);
        }
    }

    /**
     * Reads and checks {@code file}; {@code env} gives the values of {@code ${VAR}}. Every mistake is a
     * {@link CliException} (exit 2) of one line: {@code FILE:LINE: FIELD: PROBLEM}.
     */
    static StackFile load(Path file, Map<String, String> env, Purpose purpose) {
        String text;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new CliException(ExitCodes.USAGE, file + " is larger than 1 MB: not a cloudfunc.yml");
            }
            text = Files.readString(file);
        } catch (MalformedInputException e) {
            throw new CliException(ExitCodes.USAGE, file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + CliException.reason(e));
        }
        try {
            return parse(file, text, env, purpose);
        } catch (Invalid e) {
            throw new CliException(ExitCodes.USAGE, file + ":" + e.getMessage());
        }
    }

    static StackFile parse(Path file, String text, Map<String, String> env, Purpose purpose) {
        Node root;
        try {
            var settings = LoadSettings.builder().setLabel(String.valueOf(file)).setAllowDuplicateKeys(false)
                    .setMaxAliasesForCollections(20).setCodePointLimit(MAX_FILE_BYTES).build();
            root = new Compose(settings).composeString(text).orElse(null);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(mark -> mark.getLine() + 1).orElse(1);
            throw new Invalid(line, "not valid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new Invalid(1, "not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null) {
            throw new Invalid(1, "the file is empty; it needs 'functions:' with at least one function");
        }
        Map<String, NodeTuple> top = mapping(root, "(top level)", Set.of("version", "functions"));
        NodeTuple version = top.get("version");
        if (version != null && !"1".equals(scalar(version.getValueNode(), "version"))) {
            throw new Invalid(version.getValueNode(), "version", "must be 1 (the only version of this file)");
        }
        NodeTuple functions = top.get("functions");
        if (functions == null) {
            throw new Invalid(root, "functions", "missing: the file declares its functions under 'functions:'");
        }
        Map<String, NodeTuple> declared = mapping(functions.getValueNode(), "functions", null);
        if (declared.isEmpty()) {
            throw new Invalid(functions.getValueNode(), "functions", "declares no function");
        }
        Path base = file.toAbsolutePath().getParent();
        List<StackFunction> all = new ArrayList<>();
        for (var entry : declared.entrySet()) {
            String name = entry.getKey();
            Node key = entry.getValue().getKeyNode();
            if (!FunctionNames.isValid(name)) {
                throw new Invalid(key, "functions." + name, "invalid function name: " + FunctionNames.RULE);
            }
            all.add(new Reader(name, base, env, purpose).function(key, entry.getValue().getValueNode()));
        }
        return new StackFile(file, List.copyOf(all));
    }

    /** Reads one function's fields; {@code at} is its path in the file, e.g. {@code functions.hello}. */
    private record Reader(String name, Path base, Map<String, String> env, Purpose purpose) {

        StackFunction function(Node key, Node value) {
            String at = "functions." + name;
            Map<String, NodeTuple> fields = mapping(value, at, null);
            for (var field : fields.entrySet()) {
                if (!FUNCTION_FIELDS.contains(field.getKey())) {
                    throw new Invalid(field.getValue().getKeyNode(), at + "." + field.getKey(),
                            "unknown field; a function has " + String.join(", ", FUNCTION_FIELDS));
                }
            }
            String runtime = text(fields, "runtime", at, "python");
            if (!RUNTIMES.contains(runtime)) {
                throw new Invalid(fields.get("runtime").getValueNode(), at + ".runtime",
                        "must be one of " + String.join(", ", RUNTIMES));
            }
            List<String> aliases = aliases(fields.get("aliases"), at + ".aliases");
            Map<String, String> env = variables(fields.get("env"), at + ".env");
            Map<String, String> secrets = variables(fields.get("secrets"), at + ".secrets");
            Map<String, NodeTuple> http = fields.containsKey("http")
                    ? mapping(fields.get("http").getValueNode(), at + ".http", Set.of("access", "webhookSecret"))
                    : Map.of();
            String access = text(http, "access", at + ".http", null);
            if (access != null && !HttpAccess.MODES.contains(access)) {
                throw new Invalid(http.get("access").getValueNode(), at + ".http.access",
                        "must be one of " + String.join(", ", HttpAccess.MODES));
            }
            String webhookSecret = text(http, "webhookSecret", at + ".http", null);
            if (HttpAccess.WEBHOOK.equals(access) != (webhookSecret != null)) {
                throw new Invalid(fields.get("http").getValueNode(), at + ".http",
                        "webhookSecret goes with access: webhook, and access: webhook needs one");
            }
            Path folder = folder(key, fields, at, runtime);
            var events = new StackFileEvents(purpose == Purpose.DEPLOY ? this::expand : (node, field, text) -> text);
            var schedules = fields.containsKey("schedules")
                    ? events.schedules(fields.get("schedules").getValueNode(), at + ".schedules") : null;
            var triggers = fields.containsKey("triggers")
                    ? events.triggers(fields.get("triggers").getValueNode(), at + ".triggers") : null;
            if (purpose == Purpose.DELETE) {
                return new StackFunction(name, line(key), folder, null, aliases, schedules, triggers);
            }
            NodeTuple secretsFile = fields.get("secretsFile");
            if (secretsFile != null) {
                Path path = base.resolve(scalar(secretsFile.getValueNode(), at + ".secretsFile"));
                Map<String, String> fromFile;
                try {
                    fromFile = ConfigOptions.readSecretFile(path);
                } catch (CliException e) {
                    throw new Invalid(secretsFile.getValueNode(), at + ".secretsFile", e.getMessage());
                }
                fromFile.putAll(secrets == null ? Map.of() : secrets); // a secret declared in the file wins
                secrets = fromFile;
            }
            for (String secret : secrets == null ? Set.<String>of() : secrets.keySet()) {
                if (env != null && env.containsKey(secret)) {
                    throw new Invalid(fields.get("env").getValueNode(), at + ".env." + secret,
                            "is also a secret; give it once");
                }
            }
            if (webhookSecret != null) {
                webhookSecret = expand(http.get("webhookSecret").getValueNode(), at + ".http.webhookSecret",
                        webhookSecret);
            }
            var spec = new FunctionSpec(name, runtime, text(fields, "handler", at, null),
                    quantity(fields, "timeout", at, Quantities::duration, "a duration like 30s, 500ms or 2m")
                            .map(d -> d.toMillis()).orElse(null),
                    quantity(fields, "memory", at, Quantities::megabytes, "a size like 256m or 1g").orElse(null),
                    quantity(fields, "cpu", at, ResourceQuantities::cpuMillis,
                            "CPUs like 0.5 or 2, or thousandths like 500m").orElse(null),
                    quantity(fields, "idleTtl", at, Quantities::duration, "a duration like 60s or 10m")
                            .map(d -> d.toMillis()).orElse(null),
                    env, count(fields, "minInstances", at), count(fields, "maxInstances", at),
                    count(fields, "concurrency", at), text(fields, "network", at, null),
                    text(fields, "ociRuntime", at, null), text(fields, "image", at, null),
                    count(fields, "maxRetries", at),
                    quantity(fields, "retryBackoff", at, Quantities::duration, "a duration like 1s or 500ms")
                            .map(d -> d.toMillis()).orElse(null),
                    secrets, access, webhookSecret);
            if ("image".equals(runtime) && spec.image() == null) {
                throw new Invalid(key, at + ".image", "missing: a function of runtime image names its image");
            }
            return new StackFunction(name, line(key), folder, spec, aliases, schedules, triggers);
        }

        /** The folder, relative to the file; required but for an image function (whose image holds the code). */
        private Path folder(Node key, Map<String, NodeTuple> fields, String at, String runtime) {
            NodeTuple folder = fields.get("folder");
            if (folder == null) {
                if ("image".equals(runtime)) {
                    return null;
                }
                throw new Invalid(key, at + ".folder", "missing: the folder with the function's code (relative to this file)");
            }
            Path path = base.resolve(scalar(folder.getValueNode(), at + ".folder")).normalize();
            if (purpose == Purpose.DEPLOY && !Files.isDirectory(path) && !(Files.isRegularFile(path)
                    && path.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(zip|jar)"))) {
                throw new Invalid(folder.getValueNode(), at + ".folder", (Files.exists(path)
                        ? "not a folder, .zip or .jar: " : "no such folder: ") + path);
            }
            return path;
        }

        private List<String> aliases(NodeTuple tuple, String at) {
            if (tuple == null) {
                return List.of();
            }
            if (!(tuple.getValueNode() instanceof SequenceNode list)) {
                throw new Invalid(tuple.getValueNode(), at, "must be a list of alias names, e.g. [live]");
            }
            List<String> aliases = new ArrayList<>();
            for (Node item : list.getValue()) {
                String alias = scalar(item, at);
                if (!FunctionRefs.isValidAlias(alias)) {
                    throw new Invalid(item, at, "invalid alias '" + alias + "': " + FunctionRefs.ALIAS_RULE);
                }
                if (aliases.contains(alias)) {
                    throw new Invalid(item, at, "'" + alias + "' is listed twice");
                }
                aliases.add(alias);
            }
            return List.copyOf(aliases);
        }

        /** NAME: value pairs (env, secrets), {@code ${VAR}} taken from the environment; null when not declared. */
        private Map<String, String> variables(NodeTuple tuple, String at) {
            if (tuple == null) {
                return null;
            }
            Map<String, String> variables = new LinkedHashMap<>();
            for (var entry : mapping(tuple.getValueNode(), at, null).entrySet()) {
                Node valueNode = entry.getValue().getValueNode();
                if (!VARIABLE_NAME.matcher(entry.getKey()).matches()) {
                    throw new Invalid(entry.getValue().getKeyNode(), at + "." + entry.getKey(),
                            "a variable name is letters, digits and '_', not starting with a digit");
                }
                String value = scalar(valueNode, at + "." + entry.getKey());
                variables.put(entry.getKey(), purpose == Purpose.DEPLOY
                        ? expand(valueNode, at + "." + entry.getKey(), value) : value);
            }
            return variables;
        }

        /** {@code ${VAR}} replaced by the environment's VAR; a variable that is not set is a mistake. */
        String expand(Node node, String at, String value) {
            Matcher m = VARIABLE.matcher(value);
            var expanded = new StringBuilder();
            while (m.find()) {
                String variable = env.get(m.group(1));
                if (variable == null) {
                    throw new Invalid(node, at, "environment variable " + m.group(1) + " is not set");
                }
                m.appendReplacement(expanded, Matcher.quoteReplacement(variable));
            }
            m.appendTail(expanded);
            return expanded.toString();
        }

        private static <T> java.util.Optional<T> quantity(Map<String, NodeTuple> fields, String field, String at,
                Function<String, T> parse, String expected) {
            NodeTuple tuple = fields.get(field);
            if (tuple == null) {
                return java.util.Optional.empty();
            }
            String text = scalar(tuple.getValueNode(), at + "." + field);
            try {
                return java.util.Optional.of(parse.apply(text));
            } catch (CliException | IllegalArgumentException e) {
                throw new Invalid(tuple.getValueNode(), at + "." + field, "must be " + expected);
            }
        }

        private static Integer count(Map<String, NodeTuple> fields, String field, String at) {
            NodeTuple tuple = fields.get(field);
            if (tuple == null) {
                return null;
            }
            String text = scalar(tuple.getValueNode(), at + "." + field);
            if (!text.matches("\\d{1,9}")) {
                throw new Invalid(tuple.getValueNode(), at + "." + field, "must be a whole number, 0 or more");
            }
            return Integer.valueOf(text);
        }
    }

    /** A field's text, or {@code otherwise} when it is not there. */
    static String text(Map<String, NodeTuple> fields, String field, String at, String otherwise) {
        NodeTuple tuple = fields.get(field);
        return tuple == null ? otherwise : scalar(tuple.getValueNode(), at + "." + field);
    }

    /** A single value (not a list or a mapping, not empty). */
    static String scalar(Node node, String at) {
        if (!(node instanceof ScalarNode scalar)) {
            throw new Invalid(node, at, "must be a single value, not a " + (node instanceof SequenceNode ? "list"
                    : "mapping"));
        }
        if (scalar.isPlain() && (scalar.getValue().isEmpty() || scalar.getValue().equals("~")
                || scalar.getValue().equals("null"))) {
            throw new Invalid(node, at, "has no value");
        }
        return scalar.getValue();
    }

    /**
     * A mapping's entries by key, in the file's order; a key that is not text, or given twice, is a mistake. With
     * {@code allowed}, any other key is too.
     */
    static Map<String, NodeTuple> mapping(Node node, String at, Set<String> allowed) {
        if (!(node instanceof MappingNode mapping)) {
            throw new Invalid(node, at, "must be a mapping of names to values" + (node instanceof ScalarNode
                    s && s.getValue().isEmpty() ? " (it is empty)" : ""));
        }
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                throw new Invalid(tuple.getKeyNode(), at, "a key must be a name");
            }
            String field = at.equals("(top level)") ? key.getValue() : at + "." + key.getValue();
            if (!seen.add(key.getValue())) {
                throw new Invalid(key, field, "given twice");
            }
            if (allowed != null && !allowed.contains(key.getValue())) {
                throw new Invalid(key, field, "unknown field; expected " + String.join(", ", allowed.stream()
                        .sorted().toList()));
            }
            entries.put(key.getValue(), tuple);
        }
        return entries;
    }

    static int line(Node node) {
        return node == null ? 1 : node.getStartMark().map(mark -> mark.getLine() + 1).orElse(1);
    }
}

package io.cloudfunc.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code cloudfunc keys create|list|revoke}: API keys (an admin key is needed). */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create, list and revoke API keys (admin).",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Callable<Integer> {

    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DAYS = Pattern.compile("(\\d+)d");

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: create, list or revoke");
    }

    /** {@code keys create --name N --role R [--expires-in 30d] [--rate-limit N [--burst N]]}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an API key; its secret is printed once and cannot be shown again.")
    static final class Create implements Callable<Integer> {

        @ParentCommand
        KeysCommand keys;

        @Spec
        CommandSpec spec;

        @Option(names = "--name", required = true, description = "What the key is for, e.g. ci-deployer.")
        String name;

        @Option(names = "--role", required = true,
                description = "admin (everything), developer (all but keys) or invoker (invoke, read its own calls).")
        String role;

        @Option(names = "--expires-in", paramLabel = "DURATION",
                description = "Expire after this long, e.g. 30d, 12h, 90m (default: never).")
        String expiresIn;

        @Option(names = "--rate-limit", paramLabel = "PER_SECOND",
                description = "The key's own rate limit in requests per second (0 = unlimited; default: its role's).")
        Integer rateLimit;

        @Option(names = "--burst", description = "Requests allowed at once with --rate-limit (default: one second's).")
        Integer burst;

        @Override
        public Integer call() {
            String roleName = role.strip().toLowerCase(Locale.ROOT);
            if (!List.of("admin", "developer", "invoker").contains(roleName)) {
                throw new CliException(ExitCodes.USAGE, "invalid --role '" + role
                        + "': use admin, developer or invoker");
            }
            ObjectNode request = GatewayClient.JSON.createObjectNode();
            request.put("name", name);
            request.put("role", roleName);
            if (expiresIn != null) {
                request.put("expiresAt", Instant.now().plus(duration(expiresIn)).toString());
            }
            if (burst != null && rateLimit == null) {
                throw new CliException(ExitCodes.USAGE, "--burst needs --rate-limit");
            }
            if (rateLimit != null) {
                if (rateLimit < 0 || burst != null && burst < 1) {
                    throw new CliException(ExitCodes.USAGE, "--rate-limit must be 0 or more, --burst 1 or more");
                }
                ObjectNode limit = request.putObject("rateLimit");
                limit.put("requestsPerSecond", rateLimit);
                limit.put("burst", burst != null ? burst : Math.max(1, rateLimit));
            }
            var client = keys.cli.client();
            JsonNode created = client.json(client.postJson("/keys", GatewayClient.JSON.writeValueAsBytes(request)));
            var out = spec.commandLine().getOut();
            if (keys.cli.output == CloudFuncCli.OutputFormat.json) {
                Output.json(out, created);
                return ExitCodes.OK;
            }
            JsonNode key = created.path("key");
            out.println("Created API key " + Output.text(key.get("id")) + " (" + Output.text(key.get("name"))
                    + ", role " + Output.text(key.get("role")) + ", expires " + Output.text(key.get("expiresAt"))
                    + ").");
            out.println("Secret (shown only this once; store it now):");
            out.println(Output.text(created.get("secret")));
            out.flush();
            return ExitCodes.OK;
        }

        /** Days on top of the CLI's usual durations (500ms, 30s, 2m, 1h). */
        private static Duration duration(String text) {
            var days = DAYS.matcher(text.strip().toLowerCase(Locale.ROOT));
            Duration duration;
            if (days.matches()) {
                try {
                    duration = Duration.ofDays(Long.parseLong(days.group(1)));
                } catch (NumberFormatException | ArithmeticException e) {
                    throw new CliException(ExitCodes.USAGE, "duration too large: " + text);
                }
            } else {
                duration = Quantities.duration(text);
            }
            if (duration.isZero() || duration.compareTo(Duration.ofDays(36_500)) > 0) {
                throw new CliException(ExitCodes.USAGE, "--expires-in must be more than 0 and at most 36500d");
            }
            return duration;
        }
    }

    /** {@code keys list}: every key, revoked ones included, without secrets. */
    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
            description = "List API keys (never their secrets).")
    static final class ListKeys implements Callable<Integer> {

        @ParentCommand
        KeysCommand keys;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            var client = keys.cli.client();
            JsonNode all = client.json(client.get("/keys"));
            var out = spec.commandLine().getOut();
            if (keys.cli.output == CloudFuncCli.OutputFormat.json) {
                Output.json(out, all);
                return ExitCodes.OK;
            }
            List<JsonNode> rows = new ArrayList<>();
            Instant now = Instant.now();
            for (JsonNode key : all) {
                ObjectNode row = (ObjectNode) key.deepCopy();
                row.put("status", status(key, now));
                rows.add(row);
            }
            Output.table(out, rows, "No API keys.",
                    new String[] {"ID", "NAME", "ROLE", "PREFIX", "STATUS", "CREATED", "EXPIRES", "LAST_USED"},
                    new String[] {"id", "name", "role", "prefix", "status", "createdAt", "expiresAt", "lastUsedAt"});
            return ExitCodes.OK;
        }

        private static String status(JsonNode key, Instant now) {
            if (key.hasNonNull("revokedAt")) {
                return "revoked";
            }
            JsonNode expires = key.get("expiresAt");
            if (expires != null && expires.isString() && !Instant.parse(expires.asString()).isAfter(now)) {
                return "expired";
            }
            return "active";
        }
    }

    /** {@code keys revoke ID}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke an API key; it stops working within seconds.")
    static final class Revoke implements Callable<Integer> {

        @ParentCommand
        KeysCommand keys;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The key's id (see 'cloudfunc keys list').")
        String id;

        @Override
        public Integer call() {
            if (!UUID_TEXT.matcher(id).matches()) {
                throw new CliException(ExitCodes.USAGE, "invalid key id '" + id + "': expected a UUID "
                        + "(see 'cloudfunc keys list')");
            }
            var client = keys.cli.client();
            JsonNode revoked = client.json(client.delete("/keys/" + id));
            var out = spec.commandLine().getOut();
            if (keys.cli.output == CloudFuncCli.OutputFormat.json) {
                Output.json(out, revoked);
            } else {
                out.println("Revoked API key " + id + " (" + Output.text(revoked.get("name")) + ")");
                out.flush();
            }
            return ExitCodes.OK;
        }
    }
}

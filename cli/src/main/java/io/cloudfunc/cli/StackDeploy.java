package io.cloudfunc.cli;

import io.cloudfunc.cli.StackFile.StackFunction;
import io.cloudfunc.contracts.function.AliasRequest;
import io.cloudfunc.contracts.function.FunctionSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code cloudfunc deploy -f cloudfunc.yml} and {@code cloudfunc delete -f cloudfunc.yml}: the functions a
 * {@link StackFile} declares, deployed when their code or configuration changed ({@link DeployDigest}) and left alone
 * otherwise, with the schedules and triggers they declare ({@link StackEvents}); or deleted, their schedules and
 * triggers with them (the registry removes those of a deleted function). The file is read and checked whole, and every folder digested, before the first request: a
 * mistake in it deploys nothing.
 */
final class StackDeploy {

    /** The options that go with -f: the file's own, and the root's (inherited by every command). */
    private static final Set<String> FILE_OPTIONS = Set.of("-f", "--no-verify", "--dry-run", "--url", "--api-key",
            "--config", "-o", "-h", "-V");

    /**
     * What happened to one function (deployed, unchanged, deleted, ...), or to one schedule or trigger of a function
     * (created, replaced, removed, unchanged, ...): {@code kind} is function, schedule or trigger.
     */
    record Outcome(String kind, String function, String name, String action, Integer version, String reason) {

        Outcome(String function, String action, Integer version, String reason) {
            this("function", function, function, action, version, reason);
        }

        /** The row's name in a table: the function's, or "schedule nightly of report". */
        String label() {
            return kind.equals("function") ? name : kind + " " + name + " of " + function;
        }
    }

    private final CloudFuncCli cli;
    private final CommandSpec spec;

    StackDeploy(CloudFuncCli cli, CommandSpec spec) {
        this.cli = cli;
        this.spec = spec;
    }

    int deploy(Path file, boolean noVerify, boolean dryRun) {
        onlyFileOptions();
        StackFile stack = StackFile.load(file, cli.env, StackFile.Purpose.DEPLOY);
        Map<String, String> digests = new LinkedHashMap<>();
        for (StackFunction function : stack.functions()) {
            digests.put(function.name(), DeployDigest.of(function));
        }
        var client = cli.client();
        Map<String, JsonNode> current = new HashMap<>();
        for (JsonNode function : client.json(client.get("/functions"))) {
            current.put(function.path("name").asString(), function);
        }
        PrintWriter err = spec.commandLine().getErr();
        List<Outcome> outcomes = new ArrayList<>();
        var events = new StackEvents(client, outcomes);
        try {
            for (StackFunction function : stack.functions()) {
                JsonNode now = current.get(function.name());
                String digest = digests.get(function.name());
                String reason = now == null ? "new function"
                        : DeployDigest.change(textOrNull(now.get("deployDigest")), digest);
                if (reason == null) {
                    int version = now.path("latestVersion").asInt();
                    String moved = dryRun ? "" : aliases(client, function, version, false);
                    outcomes.add(new Outcome(function.name(), "unchanged", version, moved.isEmpty() ? null
                            : moved));
                    events.apply(function, true, dryRun);
                    continue;
                }
                if (dryRun) {
                    outcomes.add(new Outcome(function.name(), "would deploy", null, reason));
                    events.apply(function, now != null, true);
                    continue;
                }
                FunctionSpec withDigest = function.spec().withDeployDigest(digest);
                JsonNode deployed = function.folder() == null
                        ? client.json(client.postJson("/functions", GatewayClient.JSON.writeValueAsBytes(withDigest)))
                        : DeployCommand.upload(client, function.folder(), withDigest, noVerify, err);
                int version = deployed.path("latestVersion").asInt();
                String moved = aliases(client, function, version, true);
                outcomes.add(new Outcome(function.name(), "deployed", version, moved.isEmpty() ? reason
                        : reason + "; " + moved));
                events.apply(function, true, false);
            }
        } catch (CliException e) {
            // what was done before the platform refused one, then its refusal
            report(outcomes);
            throw e;
        }
        report(outcomes);
        return ExitCodes.OK;
    }

    int delete(Path file) {
        onlyFileOptions();
        StackFile stack = StackFile.load(file, cli.env, StackFile.Purpose.DELETE);
        var client = cli.client();
        List<Outcome> outcomes = new ArrayList<>();
        try {
            for (StackFunction function : stack.functions()) {
                try {
                    client.delete("/functions/" + function.name());
                    outcomes.add(new Outcome(function.name(), "deleted", null, null));
                } catch (CliException e) {
                    if (e.exitCode() != ExitCodes.NOT_FOUND) {
                        throw e;
                    }
                    outcomes.add(new Outcome(function.name(), "not found", null, "nothing to delete"));
                }
            }
        } catch (CliException e) {
            report(outcomes);
            throw e;
        }
        report(outcomes);
        return ExitCodes.OK;
    }

    /**
     * Points the function's declared aliases at {@code version}; for a function left alone ({@code deployed} false),
     * only those that point elsewhere or do not exist. Says which moved ("live -> 3"), or "" when none did.
     */
    private static String aliases(GatewayClient client, StackFunction function, int version, boolean deployed) {
        if (function.aliases().isEmpty()) {
            return "";
        }
        Map<String, Integer> pointing = new HashMap<>();
        if (!deployed) {
            for (JsonNode alias : client.json(client.get("/functions/" + function.name() + "/aliases"))) {
                pointing.put(alias.path("alias").asString(), alias.path("version").asInt());
            }
        }
        List<String> moved = new ArrayList<>();
        for (String alias : function.aliases()) {
            if (Integer.valueOf(version).equals(pointing.get(alias))) {
                continue;
            }
            client.putJson("/functions/" + function.name() + "/aliases/" + alias,
                    GatewayClient.JSON.writeValueAsBytes(new AliasRequest(version)));
            moved.add(alias);
        }
        return moved.isEmpty() ? "" : String.join(", ", moved) + " -> " + version;
    }

    private void report(List<Outcome> outcomes) {
        var out = spec.commandLine().getOut();
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            ArrayNode all = GatewayClient.JSON.createArrayNode();
            for (Outcome outcome : outcomes) {
                ObjectNode node = all.addObject().put("kind", outcome.kind()).put("function", outcome.function())
                        .put("name", outcome.name()).put("action", outcome.action());
                if (outcome.version() != null) {
                    node.put("version", outcome.version());
                }
                if (outcome.reason() != null) {
                    node.put("reason", outcome.reason());
                }
            }
            Output.json(out, all);
            return;
        }
        List<JsonNode> rows = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            rows.add(GatewayClient.JSON.createObjectNode().put("name", outcome.label()).put("action", outcome.action())
                    .put("version", outcome.version() == null ? "-" : String.valueOf(outcome.version()))
                    .put("reason", outcome.reason() == null ? "" : outcome.reason()));
        }
        Output.table(out, rows, new String[] {"NAME", "ACTION", "VERSION", "WHY"},
                new String[] {"name", "action", "version", "reason"});
    }

    /** -f takes the functions and their settings from the file: DIR, NAME or a configuration flag is a mistake. */
    private void onlyFileOptions() {
        var parsed = spec.commandLine().getParseResult();
        for (OptionSpec option : parsed.matchedOptions()) {
            if (!FILE_OPTIONS.contains(option.shortestName())) {
                throw new CliException(ExitCodes.USAGE, option.longestName() + " does not go with -f: the file "
                        + "declares each function's settings");
            }
        }
        if (!parsed.matchedPositionals().isEmpty()) {
            ArgSpec positional = parsed.matchedPositionals().getFirst();
            throw new CliException(ExitCodes.USAGE, positional.paramLabel() + " does not go with -f: the file names "
                    + "the functions and their folders");
        }
    }

    private static String textOrNull(JsonNode value) {
        return value == null || !value.isString() ? null : value.asString();
    }
}

package io.cloudfunc.cli;

import io.cloudfunc.contracts.function.AliasRequest;
import io.cloudfunc.contracts.function.FunctionRefs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code cloudfunc alias NAME ALIAS VERSION}: points an alias at a version (creating or moving it; a rollback is
 * moving it back); {@code cloudfunc alias NAME ALIAS 3=90 4=10} splits its calls between versions by weight (A/B
 * test, canary), and one VERSION again ends the split; {@code cloudfunc alias NAME ALIAS --delete} removes it.
 */
@Command(name = "alias", mixinStandardHelpOptions = true,
        description = "Point ALIAS of function NAME at VERSION (create or move; roll back by moving it back), split "
                + "its calls between up to " + AliasRequest.MAX_WEIGHTS + " versions by weight (VERSION=PERCENT "
                + "..., summing to 100: a canary or an A/B test; one VERSION ends the split), or remove it with "
                + "--delete. Invoke it as NAME:ALIAS.",
        footer = {"", "Examples:", "  cloudfunc alias hello_fn prod 3          # hello_fn:prod runs version 3",
                "  cloudfunc alias hello_fn prod 3=90 4=10  # 90%% of its calls run 3, 10%% run 4",
                "  cloudfunc alias hello_fn prod 4          # all on version 4: the split ends"})
final class AliasCommand implements Callable<Integer> {

    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,8}");
    private static final Pattern WEIGHTED = Pattern.compile("([1-9][0-9]{0,8})=([0-9]{1,3})");

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Function.")
    String name;

    @Parameters(index = "1", paramLabel = "ALIAS", description = "Alias, e.g. prod.")
    String alias;

    @Parameters(index = "2", paramLabel = "VERSION", arity = "0..*",
            description = "Version the alias points to, or VERSION=PERCENT for each version of a split, e.g. "
                    + "3=90 4=10.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--delete", description = "Remove the alias.")
    boolean delete;

    @Override
    public Integer call() {
        CloudFuncCli.validName(name);
        if (!FunctionRefs.isValidAlias(alias)) {
            throw new CliException(ExitCodes.USAGE, "invalid alias '" + alias + "': " + FunctionRefs.ALIAS_RULE);
        }
        if (delete == !targets.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "give either a VERSION (or VERSION=PERCENT ...) or --delete");
        }
        var client = cli.client();
        var out = spec.commandLine().getOut();
        String path = "/functions/" + name + "/aliases/" + alias;
        if (delete) {
            client.delete(path);
            if (cli.output == CloudFuncCli.OutputFormat.json) {
                out.println("{\"deleted\":\"" + name + ":" + alias + "\"}");
            } else {
                out.println("Removed alias " + name + ":" + alias);
            }
            out.flush();
            return ExitCodes.OK;
        }
        JsonNode set = client.json(client.putJson(path, GatewayClient.JSON.writeValueAsBytes(body(targets))));
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            Output.json(out, set);
        } else {
            out.printf("%s:%s -> %s%n", name, alias, describe(set));
            out.flush();
        }
        return ExitCodes.OK;
    }

    /**
     * The request body for what the command line names: {@code {"version": 3}} for one version, {@code
     * {"weights": [{"version": 3, "weight": 90}, ...]}} for {@code 3=90 4=10}. The registry checks the versions and
     * that the weights sum to 100; this checks only the form.
     */
    static ObjectNode body(List<String> targets) {
        ObjectNode body = GatewayClient.JSON.createObjectNode();
        if (targets.size() == 1 && VERSION.matcher(targets.getFirst()).matches()) {
            body.put("version", Integer.parseInt(targets.getFirst()));
            return body;
        }
        if (targets.size() > AliasRequest.MAX_WEIGHTS) {
            throw new CliException(ExitCodes.USAGE, "an alias splits its calls between at most "
                    + AliasRequest.MAX_WEIGHTS + " versions, not " + targets.size());
        }
        var weights = body.putArray("weights");
        for (String target : targets) {
            Matcher weighted = WEIGHTED.matcher(target);
            if (!weighted.matches()) {
                throw new CliException(ExitCodes.USAGE, "'" + target + "' is not " + (targets.size() == 1
                        ? "a version number (or VERSION=PERCENT)" : "VERSION=PERCENT")
                        + ": give one VERSION, or VERSION=PERCENT for each version of a split, e.g. 3=90 4=10");
            }
            weights.addObject().put("version", Integer.parseInt(weighted.group(1)))
                    .put("weight", Integer.parseInt(weighted.group(2)));
        }
        return body;
    }

    /** {@code version 3}, or {@code version 3 (90%), version 4 (10%)} for a split. */
    static String describe(JsonNode alias) {
        JsonNode weights = alias.path("weights");
        if (weights.size() < 2) {
            return "version " + Output.text(alias.get("version"));
        }
        List<String> parts = new ArrayList<>();
        weights.forEach(weight -> parts.add("version " + weight.path("version").asInt() + " ("
                + weight.path("weight").asInt() + "%)"));
        return String.join(", ", parts);
    }
}

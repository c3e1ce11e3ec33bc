package io.cloudfunc.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code cloudfunc versions NAME}: a function's immutable versions, newest first, with the aliases on each. */
@Command(name = "versions", mixinStandardHelpOptions = true,
        description = "List a function's versions (newest first) and the aliases pointing to them.")
final class VersionsCommand implements Callable<Integer> {

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Function whose versions to list.")
    String name;

    @Override
    public Integer call() {
        CloudFuncCli.validName(name);
        var client = cli.client();
        JsonNode versions = client.json(client.get("/functions/" + name + "/versions"));
        JsonNode aliases = client.json(client.get("/functions/" + name + "/aliases"));
        var out = spec.commandLine().getOut();
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            var both = GatewayClient.JSON.createObjectNode();
            both.set("versions", versions);
            both.set("aliases", aliases);
            Output.json(out, both);
            return ExitCodes.OK;
        }
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode version : versions) {
            var row = ((tools.jackson.databind.node.ObjectNode) version).deepCopy();
            List<String> names = new ArrayList<>();
            for (JsonNode alias : aliases) {
                JsonNode weights = alias.path("weights");
                if (weights.size() > 1) { // a split: the alias is on each of its versions, with its share
                    for (JsonNode weight : weights) {
                        if (weight.path("version").asInt() == version.path("version").asInt()) {
                            names.add(alias.path("alias").asString() + "(" + weight.path("weight").asInt() + "%)");
                        }
                    }
                } else if (alias.path("version").asInt() == version.path("version").asInt()) {
                    names.add(alias.path("alias").asString());
                }
            }
            row.put("aliases", names.isEmpty() ? "-" : String.join(",", names));
            row.put("sha", version.path("codeSha256").asString().substring(0,
                    Math.min(12, version.path("codeSha256").asString().length())));
            String deps = version.path("dependenciesDigest").asString("");
            row.put("deps", deps.isEmpty() ? "-" : deps.substring(0, Math.min(12, deps.length())));
            row.put("build", version.path("dependenciesBuildMs").isNumber()
                    ? version.path("dependenciesBuildMs").asLong() + " ms" : "-");
            rows.add(row);
        }
        Output.table(out, rows, new String[] {"VERSION", "ALIASES", "RUNTIME", "HANDLER", "MEMORY", "CPU",
                "TIMEOUT", "CODE", "DEPS", "BUILD", "CREATED"}, new String[] {"version", "aliases", "runtime", "handler",
                "memoryMb", "cpuMillis", "timeoutMs", "sha", "deps", "build", "createdAt"});
        return ExitCodes.OK;
    }
}

package io.cloudfunc.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code cloudfunc nodes [list]} and {@code cloudfunc nodes drain ID}: the container-manager nodes. */
@Command(name = "nodes", mixinStandardHelpOptions = true,
        description = "List the container-manager nodes (state, capacity, load, warm functions), or drain one: "
                + "nodes drain ID (admin): it takes no new calls, finishes those it runs, and stops (its container "
                + "is stopped, or its process exits with status 0).")
final class NodesCommand implements Callable<Integer> {

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ACTION", arity = "0..1", defaultValue = "list",
            description = "list (default) or drain.")
    String action;

    @Parameters(index = "1", paramLabel = "ID", arity = "0..1",
            description = "Node to drain: it takes no new calls, finishes those it runs, then stops.")
    String id;

    @Override
    public Integer call() {
        var client = cli.client();
        var out = spec.commandLine().getOut();
        switch (action) {
            case "list" -> {
                if (id != null) {
                    throw new CliException(ExitCodes.USAGE, "nodes list takes no ID");
                }
                Output.list(cli.output == CloudFuncCli.OutputFormat.json, out, client.json(client.get("/nodes")),
                        NodesCommand::row,
                        new String[] {"ID", "STATE", "CONTAINERS", "MEMORY MB", "FREE SLOTS", "CALLS", "WAITING",
                            "WARM"},
                        new String[] {"id", "state", "containers", "memory", "freeSlots", "calls", "waiting", "warm"});
            }
            case "drain" -> {
                if (id == null || id.isBlank()) {
                    throw new CliException(ExitCodes.USAGE, "nodes drain needs the ID that nodes list shows");
                }
                JsonNode answer = client.json(client.postJson("/nodes/"
                        + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20") + "/drain", new byte[0]));
                if (cli.output == CloudFuncCli.OutputFormat.json) {
                    Output.json(out, answer);
                } else {
                    out.println("Draining node " + id + ": it takes no new calls, finishes those it runs, then stops"
                            + " (drained, then out)");
                    out.flush();
                }
            }
            default -> throw new CliException(ExitCodes.USAGE, "unknown action '" + action + "': list or drain");
        }
        return ExitCodes.OK;
    }

    /** One table row: counts as "used/total", warm functions as name:version(idle idle, busy busy). */
    private static JsonNode row(JsonNode node) {
        ObjectNode row = GatewayClient.JSON.createObjectNode();
        JsonNode capacity = node.path("capacity");
        JsonNode load = node.path("load");
        row.put("id", node.path("id").asString(""));
        row.put("state", node.path("state").asString(""));
        row.put("containers", capacity.path("containers").asInt() + "/" + capacity.path("maxContainers").asInt());
        row.put("memory", capacity.path("memoryUsedMb").asLong() + "/" + capacity.path("memoryBudgetMb").asLong());
        row.put("freeSlots", capacity.path("freeSlots").asInt());
        row.put("calls", load.path("calls").asInt());
        row.put("waiting", load.path("waiting").asInt());
        List<String> warm = new ArrayList<>();
        for (JsonNode function : node.path("functions")) {
            warm.add(function.path("name").asString("") + ":" + function.path("version").asInt() + "("
                    + function.path("idle").asInt() + " idle, " + function.path("busy").asInt() + " busy)");
        }
        row.put("warm", warm.isEmpty() ? "-" : String.join(" ", warm));
        return row;
    }
}

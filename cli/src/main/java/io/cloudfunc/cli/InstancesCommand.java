package io.cloudfunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cloudfunc instances [list]} and {@code cloudfunc instances stop ID}: warm containers of all nodes. */
@Command(name = "instances", mixinStandardHelpOptions = true,
        description = "List warm containers (instances) of all nodes, or stop an idle one: instances stop ID.")
final class InstancesCommand implements Callable<Integer> {

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ACTION", arity = "0..1", defaultValue = "list",
            description = "list (default) or stop.")
    String action;

    @Parameters(index = "1", paramLabel = "ID", arity = "0..1", description = "Instance to stop.")
    String id;

    @Override
    public Integer call() {
        var client = cli.client();
        var out = spec.commandLine().getOut();
        switch (action) {
            case "list" -> {
                if (id != null) {
                    throw new CliException(ExitCodes.USAGE, "instances list takes no ID");
                }
                Output.list(cli.output == CloudFuncCli.OutputFormat.json, out, client.json(client.get("/instances")),
                        instance -> instance, new String[] {"ID", "FUNCTION", "VERSION", "STATE", "NODE", "IDLE SINCE"},
                        new String[] {"id", "functionName", "version", "state", "node", "idleSince"});
            }
            case "stop" -> {
                if (id == null || !id.matches("[0-9a-f]{1,64}")) {
                    throw new CliException(ExitCodes.USAGE, "instances stop needs the ID that instances list shows");
                }
                client.delete("/instances/" + id);
                if (cli.output == CloudFuncCli.OutputFormat.json) {
                    out.println("{\"stopped\":\"" + id + "\"}");
                } else {
                    out.println("Stopped instance " + id);
                }
                out.flush();
            }
            default -> throw new CliException(ExitCodes.USAGE, "unknown action '" + action + "': list or stop");
        }
        return ExitCodes.OK;
    }
}

package io.cloudfunc.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

/** {@code cloudfunc list}: the deployed functions. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List deployed functions.")
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var client = cli.client();
        JsonNode functions = client.json(client.get("/functions"));
        var out = spec.commandLine().getOut();
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            Output.json(out, functions);
            return ExitCodes.OK;
        }
        List<JsonNode> rows = new ArrayList<>();
        functions.forEach(rows::add);
        Output.table(out, rows, "No functions deployed.",
                new String[] {"NAME", "RUNTIME", "HANDLER", "VERSION", "TIMEOUT_MS", "MEMORY_MB", "UPDATED"},
                new String[] {"name", "runtime", "handler", "latestVersion", "timeoutMs", "memoryMb", "updatedAt"});
        return ExitCodes.OK;
    }
}

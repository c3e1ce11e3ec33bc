package io.cloudfunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cloudfunc delete NAME}: removes a function, its versions and its warm containers. */
@Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true,
        description = "Delete a function, all its versions and its warm containers.")
final class DeleteCommand implements Callable<Integer> {

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Function to delete.")
    String name;

    @Override
    public Integer call() {
        cli.client().delete("/functions/" + CloudFuncCli.validName(name));
        var out = spec.commandLine().getOut();
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            out.println("{\"deleted\":\"" + name + "\"}");
        } else {
            out.println("Deleted " + name);
        }
        out.flush();
        return ExitCodes.OK;
    }
}

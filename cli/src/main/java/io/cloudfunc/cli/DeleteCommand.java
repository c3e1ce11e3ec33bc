package io.cloudfunc.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cloudfunc delete NAME}: removes a function, its versions and its warm containers; {@code cloudfunc delete -f
 * cloudfunc.yml} removes every function the file declares ({@link StackDeploy}).
 */
@Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true,
        description = {"Delete a function, all its versions and its warm containers.",
                "With -f cloudfunc.yml: delete every function the file declares (one already gone is reported, not an "
                        + "error)."})
final class DeleteCommand implements Callable<Integer> {

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "Function to delete.")
    String name;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Delete the functions a cloudfunc.yml "
            + "declares, with their schedules and triggers.")
    Path stackFile;

    @Override
    public Integer call() {
        if (stackFile != null) {
            return new StackDeploy(cli, spec).delete(stackFile);
        }
        if (name == null) {
            throw new CliException(ExitCodes.USAGE, "give the NAME of the function to delete (or -f cloudfunc.yml)");
        }
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

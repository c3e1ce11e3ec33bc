package io.cloudfunc.cli;

import io.cloudfunc.contracts.function.FunctionSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code cloudfunc update NAME [flags]}: new configuration, same code: a new version. */
@Command(name = "update", mixinStandardHelpOptions = true,
        description = "Change a function's configuration without new code. Creates a new version with the latest "
                + "version's code; flags left out keep their value.")
final class UpdateCommand implements Callable<Integer> {

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Function to change.")
    String name;

    @Option(names = "--runtime", description = "Runtime (python, node, java, image); the code must fit it.")
    String runtime;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() {
        CloudFuncCli.validName(name);
        FunctionSpec changes = config.spec(null, runtime);
        var client = cli.client();
        JsonNode function = client.json(client.putJson("/functions/" + name,
                GatewayClient.JSON.writeValueAsBytes(changes)));
        var out = spec.commandLine().getOut();
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            Output.json(out, function);
        } else {
            out.printf("Updated %s: version %s (same code, sha256 %s)%n", name,
                    Output.text(function.get("latestVersion")), Output.text(function.get("codeSha256")));
            out.flush();
        }
        return ExitCodes.OK;
    }
}

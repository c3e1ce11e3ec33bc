package io.cloudfunc.cli;

import io.cloudfunc.contracts.function.AliasRequest;
import io.cloudfunc.contracts.function.FunctionRefs;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code cloudfunc alias NAME ALIAS VERSION}: points an alias at a version (creating or moving it; a rollback is
 * moving it back); {@code cloudfunc alias NAME ALIAS --delete} removes it.
 */
@Command(name = "alias", mixinStandardHelpOptions = true,
        description = "Point ALIAS of function NAME at VERSION (create or move; roll back by moving it back), or "
                + "remove it with --delete. Invoke it as NAME:ALIAS.")
final class AliasCommand implements Callable<Integer> {

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Function.")
    String name;

    @Parameters(index = "1", paramLabel = "ALIAS", description = "Alias, e.g. prod.")
    String alias;

    @Parameters(index = "2", paramLabel = "VERSION", arity = "0..1", description = "Version the alias points to.")
    Integer version;

    @Option(names = "--delete", description = "Remove the alias.")
    boolean delete;

    @Override
    public Integer call() {
        CloudFuncCli.validName(name);
        if (!FunctionRefs.isValidAlias(alias)) {
            throw new CliException(ExitCodes.USAGE, "invalid alias '" + alias + "': " + FunctionRefs.ALIAS_RULE);
        }
        if (delete == (version != null)) {
            throw new CliException(ExitCodes.USAGE, "give either a VERSION or --delete");
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
        JsonNode set = client.json(client.putJson(path,
                GatewayClient.JSON.writeValueAsBytes(new AliasRequest(version))));
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            Output.json(out, set);
        } else {
            out.printf("%s:%s -> version %s%n", name, alias, Output.text(set.get("version")));
            out.flush();
        }
        return ExitCodes.OK;
    }
}

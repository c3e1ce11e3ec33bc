package io.cloudfunc.cli;

import java.io.PrintWriter;
import io.cloudfunc.contracts.function.FunctionNames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code cloudfunc}: deploy, invoke and manage CloudFunc functions. */
@Command(name = "cloudfunc", mixinStandardHelpOptions = true, version = "cloudfunc 0.1.0",
        description = "Deploy, invoke and manage functions on a CloudFunc platform.",
        subcommands = {DeployCommand.class, InvokeCommand.class, ListCommand.class, DescribeCommand.class,
                DeleteCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:unexpected error",
                "2:invalid command line",
                "3:not found (function or invocation)",
                "4:rejected request (invalid input, too large)",
                "5:the function raised an error",
                "6:the function timed out",
                "7:platform unavailable or failing"})
public final class CloudFuncCli {

    public enum OutputFormat { table, json }

    @Option(names = "--url", scope = ScopeType.INHERIT, defaultValue = "${env:CLOUDFUNC_URL:-http://localhost:8000}",
            description = "Gateway URL (env CLOUDFUNC_URL, default ${DEFAULT-VALUE}).")
    String url;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    OutputFormat output;

    GatewayClient client() {
        return new GatewayClient(url);
    }

    /** A NAME argument, checked before it becomes part of a URL: a typo is a usage error, not a failed request. */
    static String validName(String name) {
        if (!FunctionNames.isValid(name)) {
            throw new CliException(ExitCodes.USAGE, "invalid function name '" + name + "': " + FunctionNames.RULE);
        }
        return name;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests to run the CLI's exact code path in-process. */
    public static CommandLine commandLine() {
        var commandLine = new CommandLine(new CloudFuncCli());
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            if (ex instanceof CliException cli) {
                err.println("Error: " + cli.getMessage());
                err.flush();
                return cli.exitCode();
            }
            // still one line: the first of the message
            String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage().lines().findFirst().orElse("");
            err.println("Error: " + message);
            err.flush();
            return ExitCodes.UNEXPECTED;
        });
        commandLine.setParameterExceptionHandler((ex, args) -> {
            var err = ex.getCommandLine().getErr();
            err.println("Error: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            err.flush();
            return ExitCodes.USAGE;
        });
        return commandLine;
    }
}

package io.cloudfunc.cli;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.function.FunctionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

/** {@code cloudfunc deploy DIR}: zips a directory and uploads it as a new version of a function. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Zip DIR (honouring .cloudfuncignore) and deploy it as a new version of a function.")
final class DeployCommand implements Callable<Integer> {

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "Directory holding the function's code.")
    Path dir;

    @Option(names = "--name", description = "Function name (default: the directory's name, lower-cased, '_' -> '-').")
    String name;

    @Option(names = "--runtime", defaultValue = "python", description = "Runtime (default ${DEFAULT-VALUE}).")
    String runtime;

    @Option(names = "--handler", defaultValue = "function.handler",
            description = "module.function to call (default ${DEFAULT-VALUE}).")
    String handler;

    @Option(names = "--timeout", description = "Longest a call may run, e.g. 30s, 500ms, 2m (default 30s).")
    String timeout;

    @Option(names = "--memory", description = "Memory limit per container, e.g. 128m, 1g (default 128m).")
    String memory;

    @Option(names = "--idle-ttl", description = "How long an idle warm container is kept, e.g. 60s (default 60s).")
    String idleTtl;

    @Option(names = "--env", paramLabel = "K=V", description = "Environment variable for the function (repeatable).")
    Map<String, String> env = new LinkedHashMap<>();

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw new CliException(ExitCodes.USAGE, (Files.exists(dir) ? "not a directory: " : "no such directory: ") + dir);
        }
        String functionName = name != null ? name : defaultName(dir);
        if (!FunctionNames.isValid(functionName)) {
            throw new CliException(ExitCodes.USAGE, "invalid function name '" + functionName + "': " + FunctionNames.RULE
                    + (name == null ? " (pick one with --name)" : ""));
        }
        var client = cli.client();
        var functionSpec = new FunctionSpec(functionName, runtime, handler,
                timeout == null ? null : Quantities.duration(timeout).toMillis(),
                memory == null ? null : Quantities.megabytes(memory),
                idleTtl == null ? null : Quantities.duration(idleTtl).toMillis(),
                env);
        byte[] archive = Archives.zip(dir);
        var multipart = new Multipart()
                .part("metadata", null, "application/json", GatewayClient.JSON.writeValueAsBytes(functionSpec))
                .part("code", functionName + ".zip", "application/zip", archive);

        var err = spec.commandLine().getErr();
        err.printf("Deploying %s (%s, %d bytes)...%n", functionName, dir, archive.length);
        err.flush();
        var response = client.post("/functions", multipart.contentType(), multipart.publisher());
        JsonNode function = client.json(response);
        var out = spec.commandLine().getOut();
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            Output.json(out, function);
        } else {
            out.printf("Deployed %s version %s (sha256 %s)%n", Output.text(function.get("name")),
                    Output.text(function.get("latestVersion")), Output.text(function.get("codeSha256")));
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** hello_fn -> hello-fn: a directory name made into a valid function name where it can be. */
    static String defaultName(Path dir) {
        Path fileName = dir.toAbsolutePath().normalize().getFileName();
        String base = fileName == null ? "function" : fileName.toString();
        return base.toLowerCase(Locale.ROOT).replace('_', '-').replace('.', '-');
    }

}

package io.cloudfunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

/** {@code cloudfunc describe NAME}: one function's configuration and latest version. */
@Command(name = "describe", mixinStandardHelpOptions = true, description = "Show a function's configuration.")
final class DescribeCommand implements Callable<Integer> {

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Function to describe.")
    String name;

    @Override
    public Integer call() {
        var client = cli.client();
        JsonNode function = client.json(client.get("/functions/" + CloudFuncCli.validName(name)));
        var out = spec.commandLine().getOut();
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            Output.json(out, function);
        } else {
            Output.fields(out, function,
                    new String[] {"Name", "Runtime", "Handler", "Version", "Timeout (ms)", "Memory (MB)",
                            "CPU (millis)", "Idle TTL (ms)", "Environment", "Secrets", "Instances (min)",
                            "Instances (max)", "Concurrency", "Network", "OCI runtime", "Image", "Max retries",
                            "Retry backoff (ms)", "HTTP access", "Code sha256", "Code size", "Created", "Updated"},
                    new String[] {"name", "runtime", "handler", "latestVersion", "timeoutMs", "memoryMb",
                            "cpuMillis", "idleTtlMs", "env", "secretNames", "minInstances", "maxInstances",
                            "concurrency", "network", "ociRuntime", "image", "maxRetries", "retryBackoffMs", "httpAccess", "codeSha256", "codeSize", "createdAt", "updatedAt"});
        }
        return ExitCodes.OK;
    }
}

package io.cloudfunc.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

/** {@code cloudfunc invoke NAME}: calls a function synchronously and prints its result. */
@Command(name = "invoke", mixinStandardHelpOptions = true,
        description = "Call a function with a JSON event and print its result.")
final class InvokeCommand implements Callable<Integer> {

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME[:VERSION|:ALIAS]",
            description = "Function to call: NAME (latest version), NAME:3 or NAME:prod.")
    String name;

    @ArgGroup(exclusive = true)
    Event event;

    static final class Event {
        @Option(names = {"-d", "--data"}, paramLabel = "JSON", description = "The event, as JSON (default {}).")
        String data;

        @Option(names = {"-f", "--data-file"}, paramLabel = "FILE", description = "Read the event from FILE ('-' for stdin).")
        Path file;
    }

    @Option(names = {"-v", "--verbose"}, description = "Also print (on stderr) the invocation id, the start type "
            + "(cold/warm), the time spent in the function and the total time of the call.")
    boolean verbose;

    @Option(names = "--async", description = "Do not wait: the platform accepts the call (202) and this prints its "
            + "invocation id (-o json: the whole answer). Follow it with 'cloudfunc invocation ID --wait'.")
    boolean async;

    @Option(names = "--callback-url", paramLabel = "URL", description = "With --async: an http(s) URL that receives "
            + "the final invocation record (POST, JSON).")
    String callbackUrl;

    @Override
    public Integer call() {
        CloudFuncCli.validRef(name);
        byte[] body = eventBytes();
        try {
            GatewayClient.JSON.readTree(body);
        } catch (RuntimeException e) {
            throw new CliException(ExitCodes.USAGE, "the event is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (callbackUrl != null && !async) {
            throw new CliException(ExitCodes.USAGE, "--callback-url needs --async");
        }
        if (async) {
            return invokeAsync(body);
        }
        long sent = System.nanoTime();
        var client = cli.client();
        var response = client.postJson("/functions/" + name + "/invoke", body);
        long totalMs = (System.nanoTime() - sent) / 1_000_000;
        var out = spec.commandLine().getOut();
        JsonNode result = client.json(response);
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            Output.json(out, result);
        } else if (result.isString()) {
            out.println(result.asString());
        } else {
            out.println(GatewayClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        }
        out.flush();
        if (verbose) {
            var err = spec.commandLine().getErr();
            // duration: time in the function; total: the platform's time for the call, cold start included (the
            // gateway's measure; without it, what this client saw, connection set-up included)
            err.printf("invocation: %s  start: %s  duration: %s ms  total: %s ms%n",
                    response.header("X-CloudFunc-Invocation-Id").orElse("-"),
                    response.header("X-CloudFunc-Start").orElse("-"),
                    response.header("X-CloudFunc-Duration-Ms").orElse("-"),
                    response.header("X-CloudFunc-Total-Ms").orElse(Long.toString(totalMs)));
            err.flush();
        }
        return ExitCodes.OK;
    }

    private int invokeAsync(byte[] body) {
        var client = cli.client();
        String path = "/functions/" + name + "/invoke?async=true" + (callbackUrl == null ? ""
                : "&callbackUrl=" + java.net.URLEncoder.encode(callbackUrl, StandardCharsets.UTF_8));
        JsonNode accepted = client.json(client.postJson(path, body));
        var out = spec.commandLine().getOut();
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            Output.json(out, accepted);
        } else {
            out.println(accepted.path("invocationId").asString());
        }
        out.flush();
        return ExitCodes.OK;
    }

    private byte[] eventBytes() {
        if (event == null) {
            return "{}".getBytes(StandardCharsets.UTF_8);
        }
        if (event.data != null) {
            return event.data.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return "-".equals(event.file.toString()) ? System.in.readAllBytes() : Files.readAllBytes(event.file);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read event file " + event.file + ": " + CliException.reason(e));
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}

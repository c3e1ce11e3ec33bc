package io.cloudfunc.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code cloudfunc invocation ID [--wait]}: one invocation record. With {@code --wait} it polls until the invocation
 * is final (progress on stderr) and the exit code tells how it ended: 0 succeeded, 5 failed, 6 timed out, 7 still
 * not final when the wait ran out.
 */
@Command(name = "invocation", mixinStandardHelpOptions = true,
        description = "Show an invocation: status, attempt, timings, result or error.")
final class InvocationCommand implements Callable<Integer> {

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String[] LABELS = {"Id", "Function", "Version", "Status", "Mode", "Attempt",
            "Dead letter", "Start", "Accepted", "Started", "Finished", "Duration ms", "Next attempt", "Error type",
            "Error", "Result"};
    private static final String[] FIELDS = {"id", "functionName", "version", "status", "mode", "attempt",
            "deadLettered", "startType", "acceptedAt", "startedAt", "finishedAt", "durationMs", "nextAttemptAt",
            "error.type", "error.message", "result"};

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The invocation id.")
    String id;

    @Option(names = "--wait", description = "Poll until the invocation is final; the exit code tells how it ended.")
    boolean await;

    @Option(names = "--wait-timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "Longest --wait (default ${DEFAULT-VALUE}).")
    String waitTimeout;

    @Override
    public Integer call() {
        if (!UUID.matcher(id).matches()) {
            throw new CliException(ExitCodes.USAGE, "'" + id + "' is not an invocation id (a UUID)");
        }
        Duration limit = Quantities.duration(waitTimeout);
        var client = cli.client();
        String path = "/invocations/" + id.toLowerCase(Locale.ROOT);
        JsonNode record = client.json(client.get(path));
        if (await) {
            var err = spec.commandLine().getErr();
            long deadline = System.nanoTime() + limit.toNanos();
            long pause = 100;
            String last = null;
            while (!isFinal(record) && System.nanoTime() < deadline) {
                String progress = record.path("status").asString() + " (attempt " + record.path("attempt").asInt(1)
                        + ")";
                if (!progress.equals(last)) {
                    err.println("invocation " + id + ": " + progress);
                    err.flush();
                    last = progress;
                }
                sleep(pause);
                pause = Math.min(pause * 2, 1000);
                record = client.json(client.get(path));
            }
        }
        print(record);
        if (!await) {
            return ExitCodes.OK;
        }
        return switch (record.path("status").asString()) {
            case "SUCCEEDED" -> ExitCodes.OK;
            case "FAILED" -> ExitCodes.FUNCTION_ERROR;
            case "TIMED_OUT" -> ExitCodes.TIMEOUT;
            default -> {
                spec.commandLine().getErr().println("Error: invocation " + id + " is still "
                        + record.path("status").asString() + " after " + waitTimeout);
                spec.commandLine().getErr().flush();
                yield ExitCodes.UNAVAILABLE;
            }
        };
    }

    static boolean isFinal(JsonNode record) {
        String status = record.path("status").asString();
        return status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("TIMED_OUT");
    }

    private void print(JsonNode record) {
        var out = spec.commandLine().getOut();
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            Output.json(out, record);
        } else {
            Output.fields(out, record, LABELS, FIELDS);
        }
        out.flush();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNEXPECTED, "interrupted");
        }
    }
}

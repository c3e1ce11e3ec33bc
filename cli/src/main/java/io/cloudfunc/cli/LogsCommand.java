package io.cloudfunc.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

/**
 * {@code cloudfunc logs NAME [--invocation ID] [--follow]}: what a function's invocations wrote to stdout and
 * stderr, the latest ones oldest first; with {@code --follow}, new ones as they finish. Following polls the gateway
 * with the cursor of the last invocation shown (its finish time and id), so none is shown twice or skipped.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Show the logs of a function's invocations (the latest first, oldest at the top).",
                "With --follow, keep polling for new invocations until Ctrl-C or --limit."})
final class LogsCommand implements Callable<Integer> {

    /** Largest page asked for while following. */
    private static final int PAGE = 100;

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Function whose logs to show.")
    String name;

    @Option(names = {"-i", "--invocation"}, paramLabel = "ID", description = "Show only this invocation's logs.")
    String invocation;

    @Option(names = {"-f", "--follow"}, description = "Keep showing new invocations' logs as they finish.")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", defaultValue = "10",
            description = "How many of the latest invocations to show first (default ${DEFAULT-VALUE}).")
    int tail;

    @Option(names = "--limit", paramLabel = "N",
            description = "With --follow: stop once N invocations have been shown (those of --tail included).")
    Integer limit;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s",
            description = "With --follow: how often to ask for new invocations (default ${DEFAULT-VALUE}).")
    String interval;

    @Override
    public Integer call() throws InterruptedException {
        String function = CloudFuncCli.validName(name);
        var client = cli.client();
        PrintWriter out = spec.commandLine().getOut();
        if (invocation != null) {
            if (follow) {
                throw new CliException(ExitCodes.USAGE, "--follow and --invocation cannot be used together");
            }
            JsonNode logs = client.json(client.get("/invocations/" + encode(invocation) + "/logs"));
            if (!function.equals(logs.path("functionName").asString())) {
                throw new CliException(ExitCodes.NOT_FOUND, "invocation " + invocation + " is not an invocation of "
                        + function + " (it is one of " + logs.path("functionName").asString() + ")");
            }
            print(out, logs);
            return ExitCodes.OK;
        }
        if (tail < 0 || tail > 1000 || (limit != null && limit < 1)) {
            throw new CliException(ExitCodes.USAGE, "--tail must be from 0 to 1000 and --limit at least 1");
        }
        Duration pause = Quantities.duration(interval);
        // With --tail 0 the latest invocation is still read: it is where following starts.
        List<JsonNode> latest = elements(client.json(client.get("/functions/" + function + "/logs?limit="
                + Math.max(tail, 1))));
        JsonNode cursor = latest.isEmpty() ? null : latest.getLast();
        int shown = 0;
        for (JsonNode logs : latest.subList(latest.size() - Math.min(tail, latest.size()), latest.size())) {
            if (limit != null && shown >= limit) {
                return ExitCodes.OK;
            }
            print(out, logs);
            shown++;
        }
        if (!follow) {
            if (latest.isEmpty() && cli.output != CloudFuncCli.OutputFormat.json) {
                out.println("No finished invocations of " + function + " yet.");
                out.flush();
            }
            return ExitCodes.OK;
        }
        while (limit == null || shown < limit) {
            Thread.sleep(pause);
            String since = cursor == null ? "1970-01-01T00:00:00Z" : cursor.path("finishedAt").asString();
            String query = "?since=" + encode(since) + "&limit=" + PAGE
                    + (cursor == null ? "" : "&afterId=" + cursor.path("invocationId").asString());
            for (JsonNode logs : elements(client.json(client.get("/functions/" + function + "/logs" + query)))) {
                print(out, logs);
                cursor = logs;
                if (limit != null && ++shown >= limit) {
                    break;
                }
            }
        }
        return ExitCodes.OK;
    }

    private void print(PrintWriter out, JsonNode logs) {
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            out.println(logs.toString()); // one object per line, so that --follow output can be piped
        } else {
            String text = logs.path("logs").asString("");
            out.printf("==> %s v%d %s %s%s <==%n", logs.path("invocationId").asString(),
                    logs.path("version").asInt(), logs.path("status").asString(),
                    logs.path("finishedAt").asString("-"), logs.path("truncated").asBoolean() ? " (truncated)" : "");
            out.print(text);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                out.println();
            }
        }
        out.flush();
    }

    private static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

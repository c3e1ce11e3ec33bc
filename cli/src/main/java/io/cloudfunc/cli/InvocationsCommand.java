package io.cloudfunc.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** {@code cloudfunc invocations NAME}: a function's invocation history, newest first. */
@Command(name = "invocations", mixinStandardHelpOptions = true,
        description = "List a function's invocations, newest first.")
final class InvocationsCommand implements Callable<Integer> {

    static final String[] HEADERS = {"ID", "STATUS", "MODE", "ATTEMPT", "START", "DURATION_MS", "ACCEPTED"};
    static final String[] FIELDS = {"id", "status", "mode", "attempt", "startType", "durationMs", "acceptedAt"};

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Function whose invocations to list.")
    String name;

    @Option(names = "--status", paramLabel = "S", description = "Only this status: QUEUED, RUNNING, SUCCEEDED, FAILED, "
            + "TIMED_OUT.")
    String status;

    @Option(names = "--since", paramLabel = "DURATION", description = "Only invocations accepted in the last DURATION "
            + "(e.g. 30m, 1h).")
    String since;

    @Mixin
    PageOptions page;

    @Override
    public Integer call() {
        CloudFuncCli.validName(name);
        var query = new StringBuilder("?limit=").append(page.checkedLimit());
        if (status != null) {
            query.append("&status=").append(URLEncoder.encode(status.toUpperCase(Locale.ROOT), StandardCharsets.UTF_8));
        }
        if (since != null) {
            Duration window = Quantities.duration(since);
            query.append("&from=").append(Instant.now().minus(window));
        }
        List<JsonNode> rows = pages(cli, "/functions/" + name + "/invocations" + query, page.all);
        print(cli, spec, rows, "No invocations.");
        return ExitCodes.OK;
    }

    /** The items of the first page, or of every page when {@code all} (following {@code nextCursor}). */
    static List<JsonNode> pages(CloudFuncCli cli, String path, boolean all) {
        var client = cli.client();
        List<JsonNode> rows = new ArrayList<>();
        String cursor = null;
        do {
            String url = cursor == null ? path
                    : path + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
            JsonNode page = client.json(client.get(url));
            page.path("items").forEach(rows::add);
            JsonNode next = page.path("nextCursor");
            cursor = next.isString() ? next.asString() : null;
        } while (all && cursor != null);
        return rows;
    }

    static void print(CloudFuncCli cli, CommandSpec spec, List<JsonNode> rows, String empty) {
        print(cli, spec, rows, empty, HEADERS, FIELDS);
    }

    static void print(CloudFuncCli cli, CommandSpec spec, List<JsonNode> rows, String empty, String[] headers,
                      String[] fields) {
        var out = spec.commandLine().getOut();
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            ArrayNode array = GatewayClient.JSON.createArrayNode();
            rows.forEach(array::add);
            Output.json(out, array);
        } else if (rows.isEmpty()) {
            out.println(empty);
        } else {
            Output.table(out, rows, headers, fields);
        }
        out.flush();
    }
}

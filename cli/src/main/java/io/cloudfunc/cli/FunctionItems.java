package io.cloudfunc.cli;

import java.io.PrintWriter;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the schedule and trigger commands share: a function's items at {@code /functions/NAME/ITEMS} on the gateway,
 * and an answer printed as JSON with {@code -o json}, as a line of text otherwise.
 */
final class FunctionItems {

    private final CloudFuncCli cli;
    private final PrintWriter out;
    private final String function;
    private final String kind;
    private final String path;

    /** {@code kind} is an item's noun in messages ("schedule"); checks the function's name first. */
    FunctionItems(CloudFuncCli cli, CommandSpec command, String function, String kind) {
        this.cli = cli;
        this.out = command.commandLine().getOut();
        this.function = CloudFuncCli.validName(function);
        this.kind = kind;
        this.path = "/functions/" + function + "/" + kind + "s";
    }

    JsonNode create(ObjectNode request) {
        var client = cli.client();
        return client.json(client.postJson(path, GatewayClient.JSON.writeValueAsBytes(request)));
    }

    JsonNode list() {
        var client = cli.client();
        return client.json(client.get(path));
    }

    /** POST to {@code /functions/NAME/ITEMS/ITEM/ACTION} (pause, resume) with no body. */
    JsonNode act(String item, String action) {
        var client = cli.client();
        return client.json(client.postJson(path + "/" + item + "/" + action, new byte[0]));
    }

    /** Deletes the item and prints {@code json} with {@code -o json}, "Deleted KIND ITEM of NAME" otherwise. */
    int delete(String item, String json) {
        cli.client().delete(path + "/" + item);
        out.println(json() ? json : "Deleted " + kind + " " + item + " of " + function);
        out.flush();
        return ExitCodes.OK;
    }

    /** Prints the answer: pretty JSON with {@code -o json}, else what {@code text} writes. */
    int print(JsonNode answer, Consumer<PrintWriter> text) {
        if (json()) {
            Output.json(out, answer);
        } else {
            text.accept(out);
            out.flush();
        }
        return ExitCodes.OK;
    }

    private boolean json() {
        return cli.output == CloudFuncCli.OutputFormat.json;
    }
}

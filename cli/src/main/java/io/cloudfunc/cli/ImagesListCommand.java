package io.cloudfunc.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code cloudfunc images list}: the images on the platform, one row per tag. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
        description = "List the images functions can run (one row per tag).")
final class ImagesListCommand implements Callable<Integer> {

    @ParentCommand
    ImagesCommand images;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CloudFuncCli cli = images.cli;
        var client = cli.client();
        JsonNode list = client.json(client.get("/images"));
        var out = spec.commandLine().getOut();
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            Output.json(out, list);
            return ExitCodes.OK;
        }
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode image : list) {
            for (JsonNode tag : image.path("tags")) {
                ObjectNode row = GatewayClient.JSON.createObjectNode();
                row.put("tag", tag.asString());
                row.put("protocol", image.path("protocol").asString());
                row.put("size", megabytes(image.path("sizeBytes").asLong()));
                row.put("id", shortId(image.path("id").asString()));
                row.set("created", image.path("created"));
                rows.add(row);
            }
        }
        Output.table(out, rows, "No images.", new String[] {"IMAGE", "PROTOCOL", "SIZE", "ID", "CREATED"},
                new String[] {"tag", "protocol", "size", "id", "created"});
        return ExitCodes.OK;
    }

    private static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1_000_000.0);
    }

    private static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}

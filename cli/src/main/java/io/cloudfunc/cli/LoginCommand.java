package io.cloudfunc.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

/**
 * {@code cloudfunc login --url URL --api-key KEY}: checks the key against the gateway ({@code GET /keys/current}) and
 * saves both in the user's config file (mode 0600), so that later commands need neither. With {@code --keep-saved}
 * (bin/cloudfunc-up logs the CLI in as the bootstrap admin that way) a config file that already holds a key is left
 * as it is: the user's own login is never replaced by the platform's start.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Check an API key against a gateway and save both for later commands (file mode 0600).")
final class LoginCommand implements Callable<Integer> {

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--api-key-stdin", description = "Read the API key from standard input (keeps it out of the "
            + "shell history and the process list).")
    boolean fromStdin;

    @Option(names = "--keep-saved", description = "Change nothing (and ask nothing of the gateway) when the config "
            + "file already holds an API key.")
    boolean keepSaved;

    @Override
    public Integer call() {
        Path file = cli.configFile();
        if (keepSaved) {
            CliConfig saved = CliConfig.load(file);
            if (saved.apiKey() != null) {
                var out = spec.commandLine().getOut();
                if (cli.output == CloudFuncCli.OutputFormat.json) {
                    var answer = GatewayClient.JSON.createObjectNode();
                    answer.put("url", saved.url());
                    answer.put("config", file.toString());
                    answer.put("kept", true);
                    Output.json(out, answer);
                } else {
                    out.println("Kept the login saved in " + file + " (a key for " + saved.url() + ")");
                    out.flush();
                }
                return ExitCodes.OK;
            }
        }
        String url = cli.effectiveUrl(CliConfig.EMPTY);
        String key = fromStdin ? readKey() : cli.effectiveApiKey(CliConfig.EMPTY, url);
        if (key == null || key.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "no API key given: use --api-key KEY, --api-key-stdin or "
                    + "CLOUDFUNC_API_KEY");
        }
        var client = new GatewayClient(url, key.strip());
        JsonNode self = client.json(client.get("/keys/current"));
        new CliConfig(client.base().toString(), key.strip()).save(file);
        var out = spec.commandLine().getOut();
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            var answer = GatewayClient.JSON.createObjectNode();
            answer.put("url", client.base().toString());
            answer.put("config", file.toString());
            answer.set("key", self);
            Output.json(out, answer);
        } else {
            out.println("Logged in to " + client.base() + " as " + Output.text(self.get("name")) + " (role "
                    + Output.text(self.get("role")) + "); saved in " + file + " (mode 0600)");
            out.flush();
        }
        return ExitCodes.OK;
    }

    private String readKey() {
        try {
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            return line == null ? null : line.strip();
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read the API key from standard input: "
                    + CliException.reason(e));
        }
    }
}

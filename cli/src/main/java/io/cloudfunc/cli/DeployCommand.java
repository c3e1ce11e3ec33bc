package io.cloudfunc.cli;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.function.FunctionSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

/**
 * {@code cloudfunc deploy DIR}: zips a directory (or takes a .zip / .jar as it is) and uploads it as a new version of
 * a function. Its dependencies (a requirements.txt, a package.json without node_modules) are built by the platform at
 * deploy; their build's log is shown while it runs ({@link BuildLogStream}).
 * A function of runtime image needs no directory: {@code cloudfunc deploy --runtime image --image IMG --name N}.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {"Zip DIR (honouring .cloudfuncignore) and deploy it as a new version of a function.",
                "DIR may also be a .zip or .jar file, deployed as it is (a Java function's jar).",
                "Dependencies are installed by the platform at deploy, its build's log shown as it runs: a Python",
                "requirements.txt (pip), a Node package.json without node_modules (npm ci, or npm install --omit=dev).",
                "With --runtime image, DIR may be left out (the image holds the code): --image IMG --name NAME.",
                "Before it is stored, the code is loaded once by its runtime in a throwaway container (~50 ms):",
                "code that does not load (no such handler, a syntax or import error) is refused with the runtime's",
                "error and nothing is deployed; --no-verify skips this.",
                "With -f cloudfunc.yml: deploy the functions the file declares whose code or",
                "configuration changed since their last deploy from it (by digest), and say",
                "which were deployed, which are unchanged, and why; a function that declares",
                "schedules: or triggers: gets exactly those (created, replaced, removed). The",
                "whole file is checked before anything is deployed (README: 'Many functions:",
                "cloudfunc.yml')."})
final class DeployCommand implements Callable<Integer> {

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", arity = "0..1", description = "Directory holding the function's code, or a .zip /"
            + " .jar file (not needed for --runtime image).")
    Path dir;

    @Option(names = "--name", description = "Function name (default: the directory's name, lower-cased, '.' -> '-').")
    String name;

    @Option(names = "--runtime", defaultValue = "python",
            description = "Runtime: python, node, java or image (default ${DEFAULT-VALUE}).")
    String runtime;

    @Option(names = "--no-verify", description = "Deploy without loading the code first (by default the runtime"
            + " loads it once and a deploy whose code does not load is refused).")
    boolean noVerify;

    @Mixin
    ConfigOptions config;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Deploy the functions a cloudfunc.yml "
            + "declares, those whose code or configuration changed since their last deploy from it, with the "
            + "schedules and triggers each declares (DIR, --name and the configuration flags are then in the file).")
    Path stackFile;

    @Option(names = "--dry-run", description = "With -f: say what would be deployed and why, deploy nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (stackFile != null) {
            return new StackDeploy(cli, spec).deploy(stackFile, noVerify, dryRun);
        }
        if (dryRun) {
            throw new CliException(ExitCodes.USAGE, "--dry-run goes with -f cloudfunc.yml");
        }
        if (dir == null) {
            return deployImage();
        }
        boolean archiveFile = Files.isRegularFile(dir) && isArchiveName(dir);
        if (!Files.isDirectory(dir) && !archiveFile) {
            throw new CliException(ExitCodes.USAGE, (Files.exists(dir) ? "not a directory, .zip or .jar: "
                    : "no such directory: ") + dir);
        }
        String functionName = name != null ? name : defaultName(dir);
        if (!FunctionNames.isValid(functionName)) {
            throw new CliException(ExitCodes.USAGE, "invalid function name '" + functionName + "': " + FunctionNames.RULE
                    + (name == null ? " (pick one with --name)" : ""));
        }
        var client = cli.client();
        return report(upload(client, dir, functionSpec(functionName), noVerify, spec.commandLine().getErr()));
    }

    /**
     * Uploads {@code dir} (a folder, zipped, or a .zip / .jar file) as a new version of the function {@code
     * functionSpec} describes: the way of every deploy of code, a cloudfunc.yml's too. Returns the function as the
     * platform answers it.
     */
    static JsonNode upload(GatewayClient client, Path dir, FunctionSpec functionSpec, boolean noVerify,
            PrintWriter err) {
        String functionName = functionSpec.name();
        byte[] archive = archive(dir);
        var multipart = new Multipart()
                .part("metadata", null, "application/json", GatewayClient.JSON.writeValueAsBytes(functionSpec))
                .part("code", functionName + ".zip", "application/zip", archive);

        err.printf("Deploying %s (%s, %d bytes)...%n", functionName, dir, archive.length);
        err.flush();
        String buildId = UUID.randomUUID().toString();
        GatewayClient.Response response;
        try (var buildLog = BuildLogStream.follow(client, buildId, err)) {
            response = client.post("/functions?buildId=" + buildId + (noVerify ? "&verify=false" : ""),
                    multipart.contentType(), multipart.body());
        }
        return client.json(response);
    }

    /** No directory: a function of runtime image, deployed as JSON without code. */
    private Integer deployImage() {
        if (!"image".equals(runtime)) {
            throw new CliException(ExitCodes.USAGE, "DIR is required unless --runtime image (with --image IMAGE)");
        }
        if (config.image == null || config.image.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "--runtime image needs --image IMAGE (see cloudfunc images list)");
        }
        if (name == null) {
            throw new CliException(ExitCodes.USAGE, "--name is required when deploying an image without DIR");
        }
        if (!FunctionNames.isValid(name)) {
            throw new CliException(ExitCodes.USAGE, "invalid function name '" + name + "': " + FunctionNames.RULE);
        }
        var client = cli.client();
        var err = spec.commandLine().getErr();
        err.printf("Deploying %s (image %s)...%n", name, config.image);
        err.flush();
        var response = client.postJson("/functions", GatewayClient.JSON.writeValueAsBytes(functionSpec(name)));
        return report(client.json(response));
    }

    private FunctionSpec functionSpec(String functionName) {
        return config.spec(functionName, runtime);
    }

    private Integer report(JsonNode function) {
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

    /** The archive to upload: the file as it is, or the folder zipped. */
    private static byte[] archive(Path dir) {
        if (Files.isRegularFile(dir)) {
            try {
                if (Files.size(dir) > Archives.MAX_ARCHIVE_BYTES) {
                    throw new CliException(ExitCodes.REJECTED, dir + " is larger than "
                            + Archives.MAX_ARCHIVE_BYTES / (1024 * 1024) + " MB");
                }
                return Files.readAllBytes(dir);
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot read " + dir + ": " + CliException.reason(e));
            }
        }
        return Archives.zip(dir);
    }

    private static boolean isArchiveName(Path file) {
        String fileName = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return fileName.endsWith(".zip") || fileName.endsWith(".jar");
    }

    /** My_Func -> my_func, fn.v2 -> fn-v2: a directory name made into a valid function name where it can be. */
    static String defaultName(Path dir) {
        Path fileName = dir.toAbsolutePath().normalize().getFileName();
        String base = fileName == null ? "function" : fileName.toString();
        if (isArchiveName(dir)) {
            base = base.substring(0, base.length() - 4); // hello-fn.jar -> hello-fn
        }
        return base.toLowerCase(Locale.ROOT).replace('.', '-');
    }

}

package io.cloudfunc.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code cloudfunc images upload FILE}: sends a {@code docker save} archive to the platform, which loads it. */
@Command(name = "upload", mixinStandardHelpOptions = true,
        description = "Upload an image archive written by 'docker save IMAGE -o FILE.tar'; the platform loads it.")
final class ImagesUploadCommand implements Callable<Integer> {

    /** Progress lines on stderr every this many percent. */
    private static final int PROGRESS_STEP = 10;

    @ParentCommand
    ImagesCommand images;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The archive (tar, or a compressed tar) docker save wrote.")
    Path file;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            throw new CliException(ExitCodes.USAGE, (Files.isDirectory(file) ? "not a file: " : "no such file: ")
                    + file);
        }
        CloudFuncCli cli = images.cli;
        var client = cli.client();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        err.printf("Uploading %s (%s)...%n", file, Quantities.describeBytes(size));
        err.flush();
        var body = GatewayClient.Body.of(size, () -> new Progress(Files.newInputStream(file), size, err));
        JsonNode loaded = client.json(client.post("/images", "application/x-tar", body));
        var out = spec.commandLine().getOut();
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            Output.json(out, loaded);
        } else {
            for (JsonNode image : loaded.path("images")) {
                out.println("Loaded " + image.asString());
            }
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** Says on stderr how much has been sent, every {@link #PROGRESS_STEP} percent. */
    private static final class Progress extends FilterInputStream {

        private final long size;
        private final PrintWriter err;
        private long sent;
        private int reported;

        Progress(InputStream in, long size, PrintWriter err) {
            super(in);
            this.size = size;
            this.err = err;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                sent += n;
                int percent = size == 0 ? 100 : (int) (sent * 100 / size);
                if (percent >= reported + PROGRESS_STEP) {
                    reported = percent - percent % PROGRESS_STEP;
                    err.printf("  %d%% (%s)%n", reported, Quantities.describeBytes(sent));
                    err.flush();
                }
            }
            return n;
        }
    }
}

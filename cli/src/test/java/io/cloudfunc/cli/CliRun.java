package io.cloudfunc.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of {@code cloudfunc} in-process against a gateway: its exit code and what it printed. */
record CliRun(int code, String out, String err) {

    static CliRun against(String url, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        String[] full = new String[args.length + 2];
        full[0] = "--url";
        full[1] = url;
        System.arraycopy(args, 0, full, 2, args.length);
        // the command line main() builds for these arguments
        var cmd = CloudFuncCli.commandLine(full);
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        return new CliRun(cmd.execute(full), out.toString(), err.toString());
    }
}

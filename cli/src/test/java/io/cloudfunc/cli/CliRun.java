package io.cloudfunc.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/** One run of {@code cloudfunc} in-process against a gateway: its exit code and what it printed. */
record CliRun(int code, String out, String err) {

    static CliRun against(String url, String... args) {
        return against(url, Map.of(), args);
    }

    /** With {@code env} added to the environment the command sees. */
    static CliRun against(String url, Map<String, String> env, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        String[] full = new String[args.length + 2];
        full[0] = "--url";
        full[1] = url;
        System.arraycopy(args, 0, full, 2, args.length);
        // the command line main() builds for these arguments
        var cmd = CloudFuncCli.commandLine(full);
        if (!env.isEmpty()) {
            CloudFuncCli cli = cmd.getCommand();
            Map<String, String> all = new HashMap<>(cli.env);
            all.putAll(env);
            cli.env = all;
        }
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        return new CliRun(cmd.execute(full), out.toString(), err.toString());
    }
}

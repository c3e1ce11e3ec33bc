package io.cloudfunc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.function.FunctionRefs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code cloudfunc}: deploy, invoke and manage CloudFunc functions. */
@Command(name = "cloudfunc", mixinStandardHelpOptions = true, version = "cloudfunc 0.1.0",
        description = "Deploy, invoke and manage functions on a CloudFunc platform.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:unexpected error",
                "2:invalid command line",
                "3:not found (function, version, alias, invocation or instance)",
                "4:rejected request (invalid input, too large, instance busy)",
                "5:the function raised an error",
                "6:the function timed out",
                "7:platform unavailable or failing",
                "8:no valid API key (missing, unknown, revoked or expired)",
                "9:the API key's role does not allow this",
                "10:rate limited: too many requests with this API key"})
public final class CloudFuncCli {

    /**
     * The subcommands, in the order help lists them. Added in code rather than in {@code @Command}: picocli builds
     * the model of every subcommand it is given (reflection over each option, a tenth of a second for all of them),
     * and a run needs only the one it runs (see {@link #commandLine(String[])}).
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(DeployCommand.class, InvokeCommand.class, ListCommand.class,
            DescribeCommand.class, DeleteCommand.class, UpdateCommand.class, VersionsCommand.class,
            AliasCommand.class, StatsCommand.class, InstancesCommand.class, NodesCommand.class, InvocationsCommand.class,
            InvocationCommand.class, DeadLettersCommand.class, ImagesCommand.class, KeysCommand.class,
            TriggerCommand.class, ScheduleCommand.class, LoginCommand.class, LogsCommand.class, NewCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class);

    /** The root options that take a value as the next argument ({@code --url URL}). */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("--url", "--api-key", "--config", "-o", "--output");

    public enum OutputFormat { table, json }

    static final String DEFAULT_URL = "http://localhost:8000";

    @Option(names = "--url", scope = ScopeType.INHERIT,
            description = "Gateway URL (else env CLOUDFUNC_URL, else the one saved by 'cloudfunc login', else "
                    + DEFAULT_URL + ").")
    String url;

    @Option(names = "--api-key", scope = ScopeType.INHERIT, paramLabel = "KEY",
            description = "API key (else env CLOUDFUNC_API_KEY, else the one saved by 'cloudfunc login' for the "
                    + "same URL).")
    String apiKey;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Settings file (else env CLOUDFUNC_CONFIG, else $XDG_CONFIG_HOME/cloudfunc/config.json, "
                    + "default ~/.config/cloudfunc/config.json).")
    String config;

    /** The environment, replaceable by tests. */
    Map<String, String> env = System.getenv();

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    OutputFormat output;

    GatewayClient client() {
        CliConfig saved = savedConfig();
        String effectiveUrl = effectiveUrl(saved);
        return new GatewayClient(effectiveUrl, effectiveApiKey(saved, effectiveUrl));
    }

    Path configFile() {
        return CliConfig.location(config, env);
    }

    CliConfig savedConfig() {
        return CliConfig.load(configFile());
    }

    /** --url (as given, to be checked), else CLOUDFUNC_URL, else the saved URL, else the default. */
    String effectiveUrl(CliConfig saved) {
        return url != null ? url : firstOf(env.get("CLOUDFUNC_URL"), saved.url(), DEFAULT_URL);
    }

    /**
     * --api-key, else CLOUDFUNC_API_KEY, else the saved key, but only for the URL it was saved with: a key is never
     * sent to another gateway than the one it was given for.
     */
    String effectiveApiKey(CliConfig saved, String effectiveUrl) {
        String given = firstOf(apiKey, env.get("CLOUDFUNC_API_KEY"));
        if (given != null) {
            return given.strip();
        }
        return saved.apiKey() != null && sameUrl(saved.url(), effectiveUrl) ? saved.apiKey() : null;
    }

    private static boolean sameUrl(String a, String b) {
        return a != null && b != null && a.strip().replaceAll("/+$", "").equals(b.strip().replaceAll("/+$", ""));
    }

    private static String firstOf(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /** A NAME argument, checked before it becomes part of a URL: a typo is a usage error, not a failed request. */
    static String validName(String name) {
        if (!FunctionNames.isValid(name)) {
            throw new CliException(ExitCodes.USAGE, "invalid function name '" + name + "': " + FunctionNames.RULE);
        }
        return name;
    }

    /** A function reference to invoke: NAME, NAME:VERSION or NAME:ALIAS. */
    static String validRef(String ref) {
        if (FunctionRefs.parse(ref) == null) {
            int colon = ref.indexOf(':');
            validName(colon < 0 ? ref : ref.substring(0, colon));
            throw new CliException(ExitCodes.USAGE, "invalid function reference '" + ref + "': "
                    + FunctionRefs.REF_RULE);
        }
        return ref;
    }

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /** The whole command line, every subcommand in it; also used by tests to run the CLI's code path in-process. */
    public static CommandLine commandLine() {
        return configured(SUBCOMMANDS);
    }

    /**
     * The command line for one run: the root with only the subcommand {@code args} name (its name or an alias as the
     * first argument that is not a root option), else with all of them (help, an unknown or missing command).
     */
    public static CommandLine commandLine(String[] args) {
        String named = subcommandName(args);
        if (named != null && !named.equals("help")) {
            for (Class<?> subcommand : SUBCOMMANDS) {
                Command command = subcommand.getAnnotation(Command.class);
                if (command.name().equals(named) || Arrays.asList(command.aliases()).contains(named)) {
                    return configured(List.of(subcommand));
                }
            }
        }
        return commandLine();
    }

    /** The first argument that is neither a root option nor its value, or null. */
    static String subcommandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                return null;
            }
            if (!arg.startsWith("-")) {
                return arg;
            }
            if (OPTIONS_WITH_VALUE.contains(arg)) {
                i++;
            }
        }
        return null;
    }

    private static CommandLine configured(List<Class<?>> subcommands) {
        var commandLine = new CommandLine(new CloudFuncCli());
        for (Class<?> subcommand : subcommands) {
            commandLine.addSubcommand(subcommand);
        }
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            if (ex instanceof CliException cli) {
                err.println("Error: " + cli.getMessage());
                err.flush();
                return cli.exitCode();
            }
            // still one line: the first of the message
            String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage().lines().findFirst().orElse("");
            err.println("Error: " + message);
            err.flush();
            return ExitCodes.UNEXPECTED;
        });
        commandLine.setParameterExceptionHandler((ex, args) -> {
            var err = ex.getCommandLine().getErr();
            err.println("Error: " + ex.getMessage());
            // a mistyped command or option: picocli's "Did you mean: list?"
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            err.flush();
            return ExitCodes.USAGE;
        });
        return commandLine;
    }
}

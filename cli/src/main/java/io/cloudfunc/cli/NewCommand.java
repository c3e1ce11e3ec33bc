package io.cloudfunc.cli;

import io.cloudfunc.contracts.function.FunctionNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cloudfunc new NAME --lang python|node|java [--http]}: a ready-to-deploy folder NAME with the handler, an
 * example event, a README and a test that runs locally without the platform. The files are the templates under
 * {@code io/cloudfunc/cli/templates/<lang>/} ({@code <lang>-http/} for an HTTP function, called on {@code /fn/NAME}),
 * with {@code __NAME__} replaced by the function's name.
 */
@Command(name = "new", mixinStandardHelpOptions = true,
        description = {"Write a new function's folder: handler, example event, README and a local test.",
                "With --http: an HTTP function, called by any request to /fn/NAME (the request is its event, what it "
                        + "returns the response), with an example request instead of the event."})
final class NewCommand implements Callable<Integer> {

    /** The languages and their template files (a jar cannot be listed, so they are named here). */
    enum Lang {
        python(List.of("function.py", "event.json", "test_function.py", "README.md", ".cloudfuncignore"),
                "python3 -m unittest", "cloudfunc deploy %1$s --name %2$s"),
        node(List.of("index.js", "event.json", "index.test.js", "README.md", ".cloudfuncignore"),
                "node --test", "cloudfunc deploy %1$s --name %2$s --runtime node"),
        java(List.of("Handler.java", "event.json", "HandlerTest.java", "README.md"),
                "java HandlerTest.java", "javac --release 25 -d %1$s/build %1$s/Handler.java && cloudfunc deploy "
                        + "%1$s/build --name %2$s --runtime java --handler Handler::handle");

        final List<String> files;
        final String localTest;
        /** The deploy command, of the folder (%1$s) and the name (%2$s). */
        final String deploy;

        Lang(List<String> files, String localTest, String deploy) {
            this.files = files;
            this.localTest = localTest;
            this.deploy = deploy;
        }
    }

    @Parameters(paramLabel = "NAME", description = "The function's name, also the folder's.")
    String name;

    @Option(names = "--lang", required = true, description = "${COMPLETION-CANDIDATES}.")
    Lang lang;

    @Option(names = "--http", description = "An HTTP function (/fn/NAME): it answers GET ?name=Alice with "
            + "'Hello Alice!' as text and other methods with 405.")
    boolean http;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".",
            description = "Where to create the folder (default: the current directory).")
    Path parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!FunctionNames.isValid(name)) {
            throw new CliException(ExitCodes.USAGE, "invalid function name '" + name + "': " + FunctionNames.RULE);
        }
        Path folder = parent.resolve(name);
        if (Files.exists(folder)) {
            throw new CliException(ExitCodes.USAGE, folder + " already exists; pick another name or --dir");
        }
        try {
            Files.createDirectories(folder);
            for (String file : files()) {
                Files.writeString(folder.resolve(file), template(file).replace("__NAME__", name));
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot write " + folder + ": " + CliException.reason(e));
        }
        var out = spec.commandLine().getOut();
        out.printf("Created %s (%s%s): %s%n", folder, lang, http ? ", HTTP" : "", String.join(", ", files()));
        out.printf("Test it: cd %s && %s%n", folder, lang.localTest);
        out.printf("Deploy it: %s%n", String.format(lang.deploy, folder, name));
        if (http) {
            out.printf("Call it: curl -H \"Authorization: Bearer $CLOUDFUNC_API_KEY\" '<gateway>/fn/%s?name=Alice'%n",
                    name);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** An HTTP function's files: the same, with an example request where the others have an example event. */
    private List<String> files() {
        return http ? lang.files.stream().map(file -> file.equals("event.json") ? "request.json" : file).toList()
                : lang.files;
    }

    private String template(String file) throws IOException {
        String resource = "templates/" + lang.name() + (http ? "-http/" : "/") + file;
        try (InputStream in = NewCommand.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("template " + resource + " is missing from the CLI's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

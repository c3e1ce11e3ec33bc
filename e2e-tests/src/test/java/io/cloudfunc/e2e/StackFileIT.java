package io.cloudfunc.e2e;

import static io.cloudfunc.e2e.Api.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.e2e.Api.CliRun;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code cloudfunc deploy -f cloudfunc.yml} and {@code delete -f} against the platform, run as a user runs them: the
 * built launcher (cli/target/cloudfunc) as a process, its secret taken from its environment. A two-function stack (a
 * Python function with a secret and an alias, an HTTP function from {@code cloudfunc new --http}) is deployed,
 * deployed again unchanged (nothing sent), deployed with one function's code changed (only it), with a secret changed
 * (only its configuration), changed by hand ({@code cloudfunc update}: deployed again from the file), and deleted.
 */
@ExtendWith(SharedPlatform.class)
class StackFileIT {

    @Test
    void deploysOnlyWhatChangedAndDeletesTheWholeStack() throws Exception {
        Path stack = Files.createDirectories(SharedPlatform.get().workDir.resolve("stack"));
        Path hello = Files.createDirectories(stack.resolve("hello"));
        Files.writeString(hello.resolve("function.py"), """
                import os
                def handler(event, context=None):
                    return "%s %s (token %d chars)" % (os.environ["GREETING"], event["name"], len(os.environ["TOKEN"]))
                """);
        CliRun created = cli("new", "stack-web", "--lang", "node", "--http", "--dir", stack.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        Files.writeString(stack.resolve("cloudfunc.yml"), """
                # two functions of one project
                functions:
                  stack-hello:
                    folder: hello
                    memory: 96m
                    timeout: 10s
                    env:
                      GREETING: Hello
                    secrets:
                      TOKEN: ${STACK_TOKEN}
                    aliases: [live]
                  stack-web:
                    folder: stack-web
                    runtime: node
                    http:
                      access: public
                """);
        Path file = stack.resolve("cloudfunc.yml");

        Launched first = launch(Map.of("STACK_TOKEN", "four"), "deploy", "-f", file.toString());
        assertThat(first.out()).containsPattern("stack-hello +deployed +1 +new function; live -> 1")
                .containsPattern("stack-web +deployed +1 +new function");
        assertThat(invoke("stack-hello")).isEqualTo("Hello Alice (token 4 chars)");
        assertThat(invoke("stack-hello:live")).isEqualTo("Hello Alice (token 4 chars)");
        var web = Api.sendAs(null, HttpRequest.newBuilder(Api.uri("/fn/stack-web?name=Alice")).GET());
        assertThat(web.statusCode()).as(web.body()).isEqualTo(200);
        assertThat(web.body()).isEqualTo("Hello Alice!");

        Launched again = launch(Map.of("STACK_TOKEN", "four"), "deploy", "-f", file.toString());
        assertThat(again.out()).containsPattern("stack-hello +unchanged +1\n")
                .containsPattern("stack-web +unchanged +1\n");
        assertThat(again.err()).doesNotContain("Deploying");

        Files.writeString(hello.resolve("function.py"), Files.readString(hello.resolve("function.py"))
                .replace("\"%s %s", "\"%s, %s"));
        Launched edited = launch(Map.of("STACK_TOKEN", "four"), "deploy", "-f", file.toString());
        assertThat(edited.out()).containsPattern("stack-hello +deployed +2 +code changed; live -> 2")
                .containsPattern("stack-web +unchanged +1\n");
        assertThat(invoke("stack-hello:live")).isEqualTo("Hello, Alice (token 4 chars)");

        Launched rotated = launch(Map.of("STACK_TOKEN", "eight..."), "deploy", "-f", file.toString());
        assertThat(rotated.out()).containsPattern("stack-hello +deployed +3 +configuration changed; live -> 3")
                .containsPattern("stack-web +unchanged +1\n");
        assertThat(invoke("stack-hello")).isEqualTo("Hello, Alice (token 8 chars)");
        var described = Api.get("/functions/stack-hello");
        assertThat(described.body()).contains("\"memoryMb\":96").contains("\"timeoutMs\":10000")
                .contains("\"deployDigest\":\"cf1:");

        CliRun byHand = cli("update", "stack-hello", "--memory", "128m");
        assertThat(byHand.exitCode()).as(byHand.err()).isZero();
        Launched restored = launch(Map.of("STACK_TOKEN", "eight..."), "deploy", "-f", file.toString());
        assertThat(restored.out()).containsPattern("stack-hello +deployed +5 +last deployed without this file \\(or "
                + "changed since by hand\\); live -> 5");
        assertThat(Api.get("/functions/stack-hello").body()).contains("\"memoryMb\":96");

        Launched deleted = launch(Map.of(), "delete", "-f", file.toString());
        assertThat(deleted.out()).containsPattern("stack-hello +deleted").containsPattern("stack-web +deleted");
        assertThat(Api.get("/functions/stack-hello").statusCode()).isEqualTo(404);
        assertThat(Api.get("/functions/stack-web").statusCode()).isEqualTo(404);
    }

    @Test
    void anInvalidFileDeploysNothingAndSaysWhereTheMistakeIs() throws Exception {
        Path stack = Files.createDirectories(SharedPlatform.get().workDir.resolve("stack-invalid"));
        Files.createDirectories(stack.resolve("ok"));
        Files.writeString(stack.resolve("ok").resolve("function.py"), "def handler(event):\n    return 1\n");
        Path file = stack.resolve("cloudfunc.yml");
        Files.writeString(file, """
                functions:
                  stack-ok:
                    folder: ok
                  stack-bad:
                    folder: ok
                    memory: a lot
                """);

        CliRun run = cli("deploy", "-f", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("Error: " + file + ":6: functions.stack-bad.memory: must be a size like 256m "
                + "or 1g\n");
        assertThat(Api.get("/functions/stack-ok").statusCode()).as("nothing deployed half-way").isEqualTo(404);
    }

    private static String invoke(String ref) {
        CliRun invoke = cli("invoke", ref, "-d", "{\"name\":\"Alice\"}");
        assertThat(invoke.exitCode()).as(invoke.err()).isZero();
        return invoke.out().strip();
    }

    record Launched(String out, String err) {
    }

    /** The built launcher as a process with {@code env} added to its environment; it must exit 0. */
    private static Launched launch(Map<String, String> env, String... args) throws Exception {
        Platform platform = SharedPlatform.get();
        Path root = Path.of(System.getProperty("cloudfunc.root", "..")).toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of(root.resolve("cli/target/cloudfunc").toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command);
        builder.environment().put("CLOUDFUNC_URL", platform.gateway().toString());
        builder.environment().put("CLOUDFUNC_API_KEY", platform.adminKey);
        builder.environment().put("CLOUDFUNC_CONFIG", platform.workDir.resolve("no-cli-config.json").toString());
        builder.environment().putAll(env);
        Path stderr = Files.createTempFile(platform.workDir, "stack", ".err");
        builder.redirectError(stderr.toFile());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(stderr);
        assertThat(process.exitValue()).as(out + err).isZero();
        return new Launched(out, err);
    }
}

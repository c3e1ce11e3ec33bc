package io.cloudfunc.e2e;

import static io.cloudfunc.e2e.Api.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.e2e.Api.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CLI's own features against the platform: folders written by {@code cloudfunc new} (with {@code --http}: on
 * {@code /fn/NAME}) deploy and answer as written,
 * an unknown function name gets the close deployed one, and the built launcher (cli/target/cloudfunc, started from
 * its AOT cache) runs commands as a process with nothing on stdout but their answer.
 */
@ExtendWith(SharedPlatform.class)
class CliEndToEndIT {

    @Test
    void pythonAndNodeFoldersFromCloudfuncNewDeployAndAnswerTheirExampleEvent() throws Exception {
        Path dir = Files.createDirectories(SharedPlatform.get().workDir.resolve("cli-new"));
        for (String lang : List.of("python", "node")) {
            String name = "cli-new-" + lang;
            CliRun created = cli("new", name, "--lang", lang, "--dir", dir.toString());
            assertThat(created.exitCode()).as(created.err()).isZero();
            Path folder = dir.resolve(name);

            CliRun deploy = cli("deploy", folder.toString(), "--name", name, "--runtime", lang);
            assertThat(deploy.exitCode()).as(deploy.err()).isZero();
            CliRun invoke = cli("-o", "json", "invoke", name, "--data-file", folder.resolve("event.json").toString());
            assertThat(invoke.exitCode()).as(invoke.err()).isZero();
            assertThat(invoke.out()).contains("\"message\" : \"Hello Alice!\"");
        }
    }

    @Test
    void aJavaFolderFromCloudfuncNewDeploysItsCompiledHandler() throws Exception {
        Path dir = Files.createDirectories(SharedPlatform.get().workDir.resolve("cli-new-java"));
        CliRun created = cli("new", "cli-new-java", "--lang", "java", "--dir", dir.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        Path folder = dir.resolve("cli-new-java");
        Process javac = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "--release", "25", "-d", folder.resolve("build").toString(), folder.resolve("Handler.java").toString())
                .inheritIO().start();
        assertThat(javac.waitFor()).isZero();

        CliRun deploy = cli("deploy", folder.resolve("build").toString(), "--name", "cli-new-java", "--runtime", "java",
                "--handler", "Handler::handle");
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();
        CliRun invoke = cli("-o", "json", "invoke", "cli-new-java", "--data-file",
                folder.resolve("event.json").toString());
        assertThat(invoke.exitCode()).as(invoke.err()).isZero();
        assertThat(invoke.out()).contains("\"message\" : \"Hello Alice!\"");
    }

    @Test
    void httpFoldersFromCloudfuncNewDeployAndAnswerThroughFn() throws Exception {
        Path dir = Files.createDirectories(SharedPlatform.get().workDir.resolve("cli-new-http"));
        for (String lang : List.of("python", "node", "java")) {
            String name = "cli-http-" + lang;
            CliRun created = cli("new", name, "--lang", lang, "--http", "--dir", dir.toString());
            assertThat(created.exitCode()).as(created.err()).isZero();
            Path folder = dir.resolve(name);
            CliRun deploy;
            if (lang.equals("java")) {
                Process javac = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                        "--release", "25", "-d", folder.resolve("build").toString(),
                        folder.resolve("Handler.java").toString()).inheritIO().start();
                assertThat(javac.waitFor()).isZero();
                deploy = cli("deploy", folder.resolve("build").toString(), "--name", name, "--runtime", "java",
                        "--handler", "Handler::handle");
            } else {
                deploy = cli("deploy", folder.toString(), "--name", name, "--runtime", lang);
            }
            assertThat(deploy.exitCode()).as(deploy.err()).isZero();

            var greeted = Api.get("/fn/" + name + "?name=Alice");
            var refused = Api.send(java.net.http.HttpRequest.newBuilder(Api.uri("/fn/" + name))
                    .DELETE());

            assertThat(greeted.statusCode()).as(lang + ": " + greeted.body()).isEqualTo(200);
            assertThat(greeted.body()).isEqualTo("Hello Alice!");
            assertThat(greeted.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                    .startsWith("text/plain"));
            assertThat(refused.statusCode()).as(lang + ": " + refused.body()).isEqualTo(405);
            assertThat(refused.headers().firstValue("Allow")).contains("GET");
        }
    }

    @Test
    void anUnknownFunctionNameGetsTheCloseDeployedOne() throws Exception {
        Path folder = Api.functionDir("cli-greeter", "def handler(event):\n    return 'hi'\n");
        assertThat(cli("deploy", folder.toString()).exitCode()).isZero();

        CliRun typo = cli("invoke", "cli-greter");
        CliRun far = cli("describe", "cli-nothing-like-it");

        assertThat(typo.exitCode()).isEqualTo(3);
        assertThat(typo.err()).contains("'cli-greter'").contains("(did you mean 'cli-greeter'?)");
        assertThat(far.exitCode()).isEqualTo(3);
        assertThat(far.err()).doesNotContain("did you mean");
    }

    @Test
    void theBuiltLauncherListsAndInvokesWithNothingButTheAnswerOnStdout() throws Exception {
        Path folder = Api.functionDir("cli-launched", "def handler(event):\n    return 'launched ' + event['x']\n");
        assertThat(cli("deploy", folder.toString()).exitCode()).isZero();
        Path root = Path.of(System.getProperty("cloudfunc.root", "..")).toAbsolutePath().normalize();
        Path launcher = root.resolve("cli/target/cloudfunc");
        assertThat(root.resolve("cli/target").toFile().list((d, n) -> n.endsWith(".aot")))
                .as("the AOT cache written by the build").isNotEmpty();

        String list = launch(launcher, "list");
        String invoke = launch(launcher, "invoke", "cli-launched", "-d", "{\"x\":\"yes\"}");

        assertThat(list.lines()).first().asString().startsWith("NAME");
        assertThat(list).contains("cli-launched");
        assertThat(invoke).isEqualTo("launched yes\n");
    }

    /** stdout of the launcher run as a process (stderr kept apart), after checking it exited 0. */
    private static String launch(Path launcher, String... args) throws Exception {
        Platform platform = SharedPlatform.get();
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command);
        builder.environment().put("CLOUDFUNC_URL", platform.gateway().toString());
        builder.environment().put("CLOUDFUNC_API_KEY", platform.adminKey);
        builder.environment().put("CLOUDFUNC_CONFIG", platform.workDir.resolve("no-cli-config.json").toString());
        Path stderr = Files.createTempFile(platform.workDir, "launcher", ".err");
        builder.redirectError(stderr.toFile());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(stderr)).isZero();
        assertThat(Files.readString(stderr)).isEmpty();
        return out;
    }
}

package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.cloudfunc.contracts.function.FunctionNames;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's behaviour against a stand-in gateway on loopback: what it prints and how it exits. */
class CloudFuncCliTests {

    private HttpServer gateway;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startGateway() throws Exception {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String route = path.startsWith("/cloudfunc/") ? path.substring("/cloudfunc".length()) : path;
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(exchange.getRequestMethod() + " " + path + " " + new String(body, StandardCharsets.UTF_8));
            String json;
            int status;
            var headers = exchange.getResponseHeaders();
            if (path.startsWith("/html/")) {
                // not a gateway: some web server answering 200 with a page
                byte[] page = "<html>hello</html>".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html");
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
                exchange.close();
                return;
            }
            if (route.equals("/functions/hello-fn/invoke")) {
                status = 200;
                json = "\"Hello Alice!\"";
                headers.add("X-CloudFunc-Invocation-Id", "11111111-2222-3333-4444-555555555555");
                headers.add("X-CloudFunc-Start", "warm");
                headers.add("X-CloudFunc-Duration-Ms", "3");
            } else if (route.equals("/functions/boom/invoke")) {
                status = 502;
                json = "{\"type\":\"urn:cloudfunc:problem:function-error\",\"title\":\"Function error\",\"status\":502,"
                        + "\"detail\":\"boom raised ValueError: bad\"}";
            } else if (route.equals("/functions/hello-fn:prod/invoke")) {
                status = 200;
                json = "\"from prod\"";
            } else if (route.equals("/functions/hello-fn/versions")) {
                status = 200;
                json = "[{\"version\":2,\"runtime\":\"python\",\"codeSha256\":\"abcdef0123456789\"},"
                        + "{\"version\":1,\"runtime\":\"python\",\"codeSha256\":\"0123456789abcdef\"}]";
            } else if (route.equals("/functions/hello-fn/aliases")) {
                status = 200;
                json = "[{\"functionName\":\"hello-fn\",\"alias\":\"prod\",\"version\":1}]";
            } else if (route.equals("/functions/hello-fn/aliases/prod")) {
                status = 200;
                json = "{\"functionName\":\"hello-fn\",\"alias\":\"prod\",\"version\":1}";
            } else if (route.equals("/functions/hello-fn") && exchange.getRequestMethod().equals("PUT")) {
                status = 200;
                json = "{\"name\":\"hello-fn\",\"latestVersion\":3,\"codeSha256\":\"abc\"}";
            } else if (route.equals("/stats")) {
                status = 200;
                json = "{\"window\":\"1h\",\"from\":\"x\",\"to\":\"y\",\"total\":{\"invocations\":4,"
                        + "\"durationMs\":{\"p50\":2.5}},\"functions\":[{\"functionName\":\"hello-fn\","
                        + "\"invocations\":4,\"coldStartRatio\":0.25,\"durationMs\":{\"p50\":2.5}}]}";
            } else if (route.equals("/instances/abc123")) {
                status = 409;
                json = "{\"type\":\"urn:cloudfunc:problem:instance-busy\",\"title\":\"Conflict\",\"status\":409,"
                        + "\"detail\":\"instance abc123 is serving a call; stop it when it is idle\"}";
            } else if (route.equals("/images") && exchange.getRequestMethod().equals("POST")) {
                status = 200;
                json = "{\"images\":[\"myorg/resize:1.0\"]}";
            } else if (route.equals("/images")) {
                status = 200;
                json = "[{\"id\":\"sha256:0123456789abcdef0123\",\"tags\":[\"myorg/resize:1.0\",\"myorg/resize:latest\"],"
                        + "\"sizeBytes\":52000000,\"created\":\"2026-01-01T00:00:00Z\",\"protocol\":\"stdio\"}]";
            } else if (route.equals("/functions") && exchange.getRequestMethod().equals("POST")) {
                status = 201;
                json = "{\"name\":\"resize\",\"runtime\":\"image\",\"latestVersion\":1,\"codeSha256\":\"abc\"}";
            } else if (route.equals("/functions")) {
                status = 200;
                json = "[{\"name\":\"hello-fn\",\"runtime\":\"python\",\"handler\":\"function.handler\",\"latestVersion\":2}]";
            } else {
                status = 404;
                json = "{\"type\":\"urn:cloudfunc:problem:function-not-found\",\"title\":\"Function not found\","
                        + "\"status\":404,\"detail\":\"no function named 'nope'\"}";
            }
            headers.add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        gateway.start();
    }

    @AfterEach
    void stopGateway() {
        gateway.stop(0);
    }

    private CliRun run(String... args) {
        return CliRun.against("http://127.0.0.1:" + gateway.getAddress().getPort(), args);
    }

    private CliRun runAt(String url, String... args) {
        return CliRun.against(url, args);
    }

    @Test
    void invokePrintsAStringResultPlainAndVerboseDetailsOnStderr() {
        CliRun run = run("invoke", "hello-fn", "--data", "{\"name\":\"Alice\"}", "-v");

        assertThat(run.code()).isZero();
        assertThat(run.out()).isEqualTo("Hello Alice!" + System.lineSeparator());
        assertThat(run.err()).contains("start: warm").contains("duration: 3 ms").containsPattern("total: \\d+ ms")
                .contains("11111111-2222-3333-4444-555555555555");
        assertThat(requests).containsExactly("POST /functions/hello-fn/invoke {\"name\":\"Alice\"}");
    }

    @Test
    void aProblemDetailBecomesOneLineAndItsExitCode() {
        CliRun notFound = run("describe", "nope");
        assertThat(notFound.code()).isEqualTo(3);
        assertThat(notFound.err()).isEqualTo("Error: no function named 'nope'" + System.lineSeparator());

        CliRun functionError = run("invoke", "boom");
        assertThat(functionError.code()).isEqualTo(5);
        assertThat(functionError.err().strip()).isEqualTo("Error: boom raised ValueError: bad");
    }

    @Test
    void invokesAVersionOrAliasReferenceAndRefusesAMalformedOneLocally() {
        CliRun prod = run("invoke", "hello-fn:prod");
        assertThat(prod.code()).isZero();
        assertThat(prod.out().strip()).isEqualTo("from prod");

        CliRun malformed = run("invoke", "hello-fn:Prod");
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).startsWith("Error: invalid function reference 'hello-fn:Prod'");
        assertThat(requests).containsExactly("POST /functions/hello-fn:prod/invoke {}");
    }

    @Test
    void aliasMovesAndVersionsShowWhereAliasesPoint() {
        CliRun alias = run("alias", "hello-fn", "prod", "1");
        assertThat(alias.code()).isZero();
        assertThat(alias.out().strip()).isEqualTo("hello-fn:prod -> version 1");
        assertThat(requests).containsExactly("PUT /functions/hello-fn/aliases/prod {\"version\":1}");

        CliRun versions = run("versions", "hello-fn");
        assertThat(versions.code()).isZero();
        assertThat(versions.out().lines().toList()).hasSize(3);
        assertThat(versions.out().lines().toList().get(2)).startsWith("1").contains("prod").contains("0123456789ab");

        CliRun json = run("versions", "hello-fn", "-o", "json");
        assertThat(GatewayClient.JSON.readTree(json.out()).path("aliases").get(0).path("alias").asString())
                .isEqualTo("prod");

        assertThat(run("alias", "hello-fn", "latest", "1").code()).isEqualTo(2);
        assertThat(run("alias", "hello-fn", "prod").code()).isEqualTo(2);
    }

    @Test
    void updateSendsTheGivenFlagsAndTheSecretFileWithoutEchoingSecrets(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        var secrets = dir.resolve("secrets.env");
        java.nio.file.Files.writeString(secrets, "# tokens\nTOKEN=s3cret\n");

        CliRun update = run("update", "hello-fn", "--memory", "256m", "--secret-file", secrets.toString());

        assertThat(update.code()).isZero();
        assertThat(update.out()).contains("version 3").doesNotContain("s3cret");
        assertThat(requests).hasSize(1);
        assertThat(requests.getFirst()).startsWith("PUT /functions/hello-fn ")
                .contains("\"memoryMb\":256").contains("\"secrets\":{\"TOKEN\":\"s3cret\"}");

        java.nio.file.Files.writeString(secrets, "not a pair s3cret\n");
        CliRun bad = run("update", "hello-fn", "--secret-file", secrets.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).doesNotContain("s3cret");
    }

    @Test
    void statsPrintATableOrJsonAndABusyInstanceIsOneLineWithExitCode4() {
        CliRun table = run("stats");
        assertThat(table.code()).isZero();
        assertThat(table.out()).contains("hello-fn").contains("(all)").contains("25");
        CliRun json = run("stats", "-o", "json");
        assertThat(GatewayClient.JSON.readTree(json.out()).path("total").path("invocations").asInt()).isEqualTo(4);

        CliRun busy = run("instances", "stop", "abc123");
        assertThat(busy.code()).isEqualTo(4);
        assertThat(busy.err()).isEqualTo("Error: instance abc123 is serving a call; stop it when it is idle"
                + System.lineSeparator());
    }

    @Test
    void imagesUploadSendsTheArchiveAndSaysWhatWasLoaded(@TempDir Path dir) throws Exception {
        Path tar = dir.resolve("resize.tar");
        Files.write(tar, new byte[300_000]);

        CliRun run = run("images", "upload", tar.toString());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("Loaded myorg/resize:1.0" + System.lineSeparator());
        assertThat(run.err()).contains("Uploading").contains("100%");
        assertThat(requests).hasSize(1);
        assertThat(requests.getFirst()).startsWith("POST /images ").hasSize("POST /images ".length() + 300_000);
    }

    @Test
    void imagesUploadOfAMissingFileIsAUsageError() {
        CliRun run = run("images", "upload", "/no/such/file.tar");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("Error: no such file: /no/such/file.tar");
        assertThat(requests).isEmpty();
    }

    @Test
    void imagesListPrintsOneRowPerTag() {
        CliRun run = run("images", "list");

        assertThat(run.code()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.getFirst()).startsWith("IMAGE").contains("PROTOCOL").contains("SIZE");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("myorg/resize:1.0").contains("stdio").contains("52.0 MB")
                .contains("0123456789ab");
        assertThat(run("images", "list", "-o", "json").out()).contains("\"protocol\" : \"stdio\"");
    }

    @Test
    void deployOfAnImageNeedsNoDirectory() {
        CliRun run = run("deploy", "--runtime", "image", "--image", "myorg/resize:1.0", "--name", "resize");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Deployed resize version 1");
        assertThat(requests).hasSize(1);
        assertThat(requests.getFirst()).startsWith("POST /functions {").contains("\"runtime\":\"image\"")
                .contains("\"image\":\"myorg/resize:1.0\"").contains("\"name\":\"resize\"");
    }

    @Test
    void deployWithoutDirectoryNeedsRuntimeImageAnImageAndAName() {
        assertThat(run("deploy", "--name", "x").err()).contains("DIR is required unless --runtime image");
        assertThat(run("deploy", "--runtime", "image", "--name", "x").err()).contains("needs --image");
        CliRun noName = run("deploy", "--runtime", "image", "--image", "myorg/resize:1.0");
        assertThat(noName.code()).isEqualTo(2);
        assertThat(noName.err()).contains("--name is required");
        assertThat(requests).isEmpty();
    }

    @Test
    void invalidJsonEventIsRefusedBeforeAnyRequest() {
        CliRun run = run("invoke", "hello-fn", "--data", "{not json");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("Error: the event is not valid JSON");
        assertThat(requests).isEmpty();
    }

    @Test
    void aRunBuildsOnlyTheSubcommandItNamesAndHelpBuildsThemAll() {
        assertThat(CloudFuncCli.commandLine(new String[] {"--url", "list", "-o", "json", "ls", "--help"})
                .getSubcommands()).containsOnlyKeys("list", "ls");
        assertThat(CloudFuncCli.commandLine(new String[] {"--config=x", "invoke", "list"}).getSubcommands())
                .containsOnlyKeys("invoke");
        assertThat(CloudFuncCli.commandLine(new String[] {"help", "list"}).getSubcommands())
                .containsKeys("help", "list", "deploy", "keys", "images").hasSize(CloudFuncCli.commandLine()
                        .getSubcommands().size());
        assertThat(CloudFuncCli.commandLine(new String[] {"--url", "http://x", "lst"}).getSubcommands())
                .hasSize(CloudFuncCli.commandLine().getSubcommands().size());

        var help = new StringWriter();
        var full = CloudFuncCli.commandLine(new String[] {"--help"});
        full.setOut(new PrintWriter(help));
        assertThat(full.execute("--help")).isZero();
        for (Class<?> subcommand : CloudFuncCli.SUBCOMMANDS) {
            assertThat(help.toString()).contains(
                    "  " + subcommand.getAnnotation(picocli.CommandLine.Command.class).name());
        }
    }

    @Test
    void anUnknownCommandIsAUsageErrorThatSuggestsTheCloseOne() {
        CliRun run = run("lst");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument at index 2: 'lst'").contains("list");
    }

    @Test
    void listPrintsATableOrJson() {
        CliRun table = run("list");
        assertThat(table.out()).contains("NAME").contains("hello-fn").contains("function.handler");

        CliRun json = run("--output", "json", "list");
        assertThat(json.out()).contains("\"latestVersion\" : 2");
    }

    @Test
    void anUnreachableGatewayIsExplainedNotStackTraced() {
        var cmd = CloudFuncCli.commandLine();
        var err = new StringWriter();
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute("--url", "http://127.0.0.1:1", "list");

        assertThat(code).isEqualTo(7);
        assertThat(err.toString()).startsWith("Error: cannot reach CloudFunc at http://127.0.0.1:1").doesNotContain("\tat ");
    }

    @Test
    void anInvalidFunctionNameIsAUsageError() {
        CliRun run = run("deploy", ".", "--name", "Bad_Name");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("invalid function name 'Bad_Name'");
    }

    @Test
    void anInvalidNameArgumentIsAUsageErrorBeforeAnyRequest() {
        for (String[] args : List.of(new String[] {"invoke", "Hello World"}, new String[] {"describe", "../admin"},
                new String[] {"delete", "_hello"})) {
            CliRun run = run(args);

            assertThat(run.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.err()).isEqualTo("Error: invalid function name '" + args[1] + "': " + FunctionNames.RULE
                    + System.lineSeparator());
        }
        assertThat(requests).isEmpty();
    }

    @Test
    void anInvalidUrlIsAUsageError() {
        for (String url : List.of("ftp://127.0.0.1/", "localhost:8000", "http://a b", "http:///functions", "")) {
            CliRun run = runAt(url, "list");

            assertThat(run.code()).as(url).isEqualTo(2);
            assertThat(run.err()).as(url).startsWith("Error: invalid --url '" + url + "'")
                    .doesNotContain("Exception").hasLineCount(1);
        }
    }

    @Test
    void aUrlWithAPathPrefixKeepsIt() {
        CliRun run = runAt("http://127.0.0.1:" + gateway.getAddress().getPort() + "/cloudfunc/", "invoke", "hello-fn");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("Hello Alice!");
        assertThat(requests).containsExactly("POST /cloudfunc/functions/hello-fn/invoke {}");
    }

    @Test
    void anAnswerThatIsNotJsonIsExplained() {
        CliRun run = runAt("http://127.0.0.1:" + gateway.getAddress().getPort() + "/html", "list");

        assertThat(run.code()).isEqualTo(7);
        assertThat(run.err()).startsWith("Error: CloudFunc at http://127.0.0.1:").contains("not JSON").hasLineCount(1);
    }

    @Test
    void aMissingOrUnreadableEventFileIsAUsageError(@TempDir Path tmp) {
        CliRun missing = run("invoke", "hello-fn", "--data-file", tmp.resolve("event.json").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("Error: cannot read event file " + tmp.resolve("event.json")
                + ": no such file or directory");

        CliRun directory = run("invoke", "hello-fn", "--data-file", tmp.toString());
        assertThat(directory.code()).isEqualTo(2);
        assertThat(directory.err()).startsWith("Error: cannot read event file " + tmp + ": ").hasLineCount(1);
        assertThat(requests).isEmpty();
    }

    @Test
    void deployRefusesALinkOutOfTheDirectoryBeforeUploading(@TempDir Path tmp) throws Exception {
        Path function = Files.createDirectories(tmp.resolve("hello_fn"));
        Files.writeString(function.resolve("function.py"), "def handler(e): return 1");
        Path secret = Files.writeString(tmp.resolve("hostname"), "db-host-1");
        Files.createSymbolicLink(function.resolve("host"), secret);

        CliRun run = run("deploy", function.toString());

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("Error: symbolic link " + function.resolve("host") + " points outside")
                .hasLineCount(1);
        assertThat(requests).isEmpty();
    }

    @Test
    void deployOfAMissingDirectoryOrAHugeTimeoutIsAUsageError(@TempDir Path tmp) throws Exception {
        CliRun missing = run("deploy", tmp.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("Error: no such directory: " + tmp.resolve("nope"));

        Files.writeString(tmp.resolve("function.py"), "def handler(e): return 1");
        CliRun huge = run("deploy", tmp.toString(), "--name", "fn", "--timeout", "99999999999999999999s");
        assertThat(huge.code()).isEqualTo(2);
        assertThat(huge.err().strip()).isEqualTo("Error: duration too large: 99999999999999999999s");
        assertThat(requests).isEmpty();
    }

    @Test
    void deployOfTheFolderHelloFnNamesItHelloFnAndInvokeReachesIt(@TempDir Path tmp) throws Exception {
        Path folder = Files.createDirectory(tmp.resolve("hello_fn"));
        Files.writeString(folder.resolve("function.py"), "def handler(event):\n    return 'hi'\n");

        CliRun deploy = run("deploy", folder.toString());
        CliRun invoke = run("invoke", "hello_fn", "--data", "{}");

        assertThat(deploy.code()).as(deploy.err()).isZero();
        assertThat(deploy.err()).contains("Deploying hello_fn (");
        assertThat(requests.getFirst()).startsWith("POST /functions ").contains("\"name\":\"hello_fn\"");
        assertThat(invoke.err()).doesNotContain("invalid function name");
        assertThat(requests.getLast()).isEqualTo("POST /functions/hello_fn/invoke {}");
    }

    @Test
    void deployOfAJarUploadsItAsItIsNamedAfterTheFile(@TempDir Path tmp) throws Exception {
        byte[] jar = {'P', 'K', 3, 4, 1, 2, 3};
        Path file = Files.write(tmp.resolve("hello-fn.jar"), jar);

        CliRun run = run("deploy", file.toString(), "--runtime", "java", "--handler", "com.example.Hello");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(requests).hasSize(1);
        assertThat(requests.getFirst()).startsWith("POST /functions ")
                .contains("\"name\":\"hello-fn\"").contains("\"runtime\":\"java\"")
                .contains("\"handler\":\"com.example.Hello\"").contains(new String(jar, StandardCharsets.UTF_8));
    }

    @Test
    void cpuIsSentAsThousandthsOfACpuAndAnUnreadableOneIsAUsageError(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("function.py"), "def handler(e): return 1");

        CliRun millis = run("deploy", tmp.toString(), "--name", "fn", "--cpu", "100m");
        CliRun cpus = run("update", "hello-fn", "--cpu", "0.5");
        CliRun bad = run("deploy", tmp.toString(), "--name", "fn", "--cpu", "fast");

        assertThat(millis.code()).as(millis.err()).isZero();
        assertThat(cpus.code()).as(cpus.err()).isZero();
        assertThat(requests).hasSize(2);
        assertThat(requests.getFirst()).startsWith("POST /functions ").contains("\"cpuMillis\":100");
        assertThat(requests.getLast()).startsWith("PUT /functions/hello-fn ").contains("\"cpuMillis\":500");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("Error: invalid --cpu 'fast': expected a CPU quantity such as 100m "
                + "(thousandths of a CPU) or 0.5 (CPUs)");
    }

    @Test
    void httpAccessAndTheWebhookSecretAreSentAndTheSecretIsNotEchoed(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("function.py"), "def handler(e): return 1");

        CliRun deploy = run("deploy", tmp.toString(), "--name", "fn", "--http-access", "public");
        CliRun update = run("update", "hello-fn", "--http-access", "webhook", "--webhook-secret", "s3cret-hook");

        assertThat(deploy.code()).as(deploy.err()).isZero();
        assertThat(update.code()).as(update.err()).isZero();
        assertThat(requests.getFirst()).contains("\"httpAccess\":\"public\"");
        assertThat(requests.getLast()).contains("\"httpAccess\":\"webhook\"")
                .contains("\"webhookSecret\":\"s3cret-hook\"");
        assertThat(update.out() + update.err()).doesNotContain("s3cret-hook");
    }

    @Test
    void deployWithoutAHandlerLeavesTheDefaultToThePlatform(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("function.py"), "def handler(e): return 1");

        CliRun run = run("deploy", tmp.toString(), "--name", "fn");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(requests.getFirst()).doesNotContain("function.handler");
    }

    @Test
    void aNodeFolderWithoutNodeModulesIsUploadedAsItIsForThePlatformToBuild(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("index.js"), "exports.handler = () => require('is-number')(1);");
        Files.writeString(tmp.resolve("package.json"), "{\"dependencies\":{\"is-number\":\"7.0.0\"}}");

        CliRun run = run("deploy", tmp.toString(), "--name", "fn", "--runtime", "node", "--handler", "index.handler");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain("npm");
        assertThat(requests.getFirst()).startsWith("POST /functions ").contains("package.json")
                .doesNotContain("node_modules/");
    }

    @Test
    void aNodeFolderWithNodeModulesIsDeployedWithoutRunningNpm(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("index.js"), "exports.handler = () => require('dep')();");
        Files.writeString(tmp.resolve("package.json"), "{\"dependencies\":{\"dep\":\"1.0.0\"}}");
        Files.createDirectories(tmp.resolve("node_modules/dep"));
        Files.writeString(tmp.resolve("node_modules/dep/index.js"), "module.exports = () => 'vendored';");

        CliRun run = run("deploy", tmp.toString(), "--name", "fn", "--runtime", "node", "--handler", "index.handler");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain("npm");
        assertThat(requests.getFirst()).contains("node_modules/dep/index.js");
    }
}

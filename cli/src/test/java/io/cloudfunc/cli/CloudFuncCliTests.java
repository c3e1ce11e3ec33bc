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

    record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        return runAt("http://127.0.0.1:" + gateway.getAddress().getPort(), args);
    }

    private Run runAt(String url, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cmd = CloudFuncCli.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        String[] full = new String[args.length + 2];
        full[0] = "--url";
        full[1] = url;
        System.arraycopy(args, 0, full, 2, args.length);
        return new Run(cmd.execute(full), out.toString(), err.toString());
    }

    @Test
    void invokePrintsAStringResultPlainAndVerboseDetailsOnStderr() {
        Run run = run("invoke", "hello-fn", "--data", "{\"name\":\"Alice\"}", "-v");

        assertThat(run.code()).isZero();
        assertThat(run.out()).isEqualTo("Hello Alice!" + System.lineSeparator());
        assertThat(run.err()).contains("start: warm").contains("duration: 3 ms").containsPattern("total: \\d+ ms")
                .contains("11111111-2222-3333-4444-555555555555");
        assertThat(requests).containsExactly("POST /functions/hello-fn/invoke {\"name\":\"Alice\"}");
    }

    @Test
    void aProblemDetailBecomesOneLineAndItsExitCode() {
        Run notFound = run("describe", "nope");
        assertThat(notFound.code()).isEqualTo(3);
        assertThat(notFound.err()).isEqualTo("Error: no function named 'nope'" + System.lineSeparator());

        Run functionError = run("invoke", "boom");
        assertThat(functionError.code()).isEqualTo(5);
        assertThat(functionError.err().strip()).isEqualTo("Error: boom raised ValueError: bad");
    }

    @Test
    void invalidJsonEventIsRefusedBeforeAnyRequest() {
        Run run = run("invoke", "hello-fn", "--data", "{not json");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("Error: the event is not valid JSON");
        assertThat(requests).isEmpty();
    }

    @Test
    void listPrintsATableOrJson() {
        Run table = run("list");
        assertThat(table.out()).contains("NAME").contains("hello-fn").contains("function.handler");

        Run json = run("--output", "json", "list");
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
        Run run = run("deploy", ".", "--name", "Bad_Name");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("invalid function name 'Bad_Name'");
    }

    @Test
    void anInvalidNameArgumentIsAUsageErrorBeforeAnyRequest() {
        for (String[] args : List.of(new String[] {"invoke", "Hello World"}, new String[] {"describe", "../admin"},
                new String[] {"delete", "hello_fn"})) {
            Run run = run(args);

            assertThat(run.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.err()).isEqualTo("Error: invalid function name '" + args[1] + "': " + FunctionNames.RULE
                    + System.lineSeparator());
        }
        assertThat(requests).isEmpty();
    }

    @Test
    void anInvalidUrlIsAUsageError() {
        for (String url : List.of("ftp://127.0.0.1/", "localhost:8000", "http://a b", "http:///functions", "")) {
            Run run = runAt(url, "list");

            assertThat(run.code()).as(url).isEqualTo(2);
            assertThat(run.err()).as(url).startsWith("Error: invalid --url '" + url + "'")
                    .doesNotContain("Exception").hasLineCount(1);
        }
    }

    @Test
    void aUrlWithAPathPrefixKeepsIt() {
        Run run = runAt("http://127.0.0.1:" + gateway.getAddress().getPort() + "/cloudfunc/", "invoke", "hello-fn");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("Hello Alice!");
        assertThat(requests).containsExactly("POST /cloudfunc/functions/hello-fn/invoke {}");
    }

    @Test
    void anAnswerThatIsNotJsonIsExplained() {
        Run run = runAt("http://127.0.0.1:" + gateway.getAddress().getPort() + "/html", "list");

        assertThat(run.code()).isEqualTo(7);
        assertThat(run.err()).startsWith("Error: CloudFunc at http://127.0.0.1:").contains("not JSON").hasLineCount(1);
    }

    @Test
    void aMissingOrUnreadableEventFileIsAUsageError(@TempDir Path tmp) {
        Run missing = run("invoke", "hello-fn", "--data-file", tmp.resolve("event.json").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("Error: cannot read event file " + tmp.resolve("event.json")
                + ": no such file or directory");

        Run directory = run("invoke", "hello-fn", "--data-file", tmp.toString());
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

        Run run = run("deploy", function.toString());

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("Error: symbolic link " + function.resolve("host") + " points outside")
                .hasLineCount(1);
        assertThat(requests).isEmpty();
    }

    @Test
    void deployOfAMissingDirectoryOrAHugeTimeoutIsAUsageError(@TempDir Path tmp) throws Exception {
        Run missing = run("deploy", tmp.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("Error: no such directory: " + tmp.resolve("nope"));

        Files.writeString(tmp.resolve("function.py"), "def handler(e): return 1");
        Run huge = run("deploy", tmp.toString(), "--name", "fn", "--timeout", "99999999999999999999s");
        assertThat(huge.code()).isEqualTo(2);
        assertThat(huge.err().strip()).isEqualTo("Error: duration too large: 99999999999999999999s");
        assertThat(requests).isEmpty();
    }
}

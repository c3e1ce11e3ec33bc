package io.cloudfunc.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's scripts: their syntax ({@code node --check}) and the model's tests (src/test/js, Node's test
 * runner), with the machine's Node.js (on every machine of this kind; missing, it fails rather than skips).
 */
class DashboardScriptTests {

    private static final Path DASHBOARD = Path.of("src", "main", "resources", "static", "dashboard");

    @Test
    void scriptsParseAndTheModelsTestsPass() throws Exception {
        for (String script : new String[] {"app.js", "model.js", "charts.js"}) {
            Run check = node("--check", DASHBOARD.resolve(script).toString());
            assertThat(check.exitCode()).as(script + ": " + check.output()).isZero();
        }
        Run tests = node("--test", Path.of("src", "test", "js", "model.test.js").toString());

        assertThat(tests.exitCode()).as(tests.output()).isZero();
        assertThat(tests.output()).contains("# pass 7").contains("# fail 0");
    }

    @Test
    void thePanelsOfSchedulesTriggersAndSplitAliasesParseAndTheirTestsPass() throws Exception {
        Run check = node("--check", DASHBOARD.resolve("panels.js").toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        Run tests = node("--test", Path.of("src", "test", "js", "panels.test.js").toString());

        assertThat(tests.exitCode()).as(tests.output()).isZero();
        assertThat(tests.output()).contains("# pass 4").contains("# fail 0");
    }

    private record Run(int exitCode, String output) {
    }

    private static Run node(String... arguments) throws Exception {
        String[] command = new String[arguments.length + 1];
        command[0] = "node";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
        return new Run(process.exitValue(), output);
    }
}

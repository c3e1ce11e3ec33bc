package io.cloudfunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboard in a real browser (issue 14): the scripts of e2e-tests/browser (Node's test runner, playwright-core
 * driving Debian's Chromium headless) against the shared platform, with its admin key. Each page's screenshot goes to
 * target/dashboard-screenshots. Needs {@code node}, {@code /usr/bin/chromium} and {@code npm ci} in
 * e2e-tests/browser ({@code .ci/run} installs all three); without them it fails, it does not skip.
 */
@ExtendWith(SharedPlatform.class)
class DashboardBrowserIT {

    private static final Path SCRIPTS = Path.of("browser").toAbsolutePath();
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots").toAbsolutePath();
    private static final String CHROMIUM = "/usr/bin/chromium";

    private record Run(int exitCode, String output) {
    }

    @Test
    void signingInFunctionsInvokingLiveUpdatesActionsAndErrorStatesWorkInChromium() throws Exception {
        Run run = node("dashboard.test.js");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("# fail 0").contains("# pass 12").contains("# skipped 0")
                .contains("ok 1 - a wrong key is refused").contains("ok 12 - no console error on any page");
        for (String page : List.of("01-sign-in-refused", "02-functions", "03-function", "04-invocation",
                "05-invocation-running", "06-function-after-actions", "07-instances", "08-keys", "09-dead-letters", "10-no-functions",
                "11-gateway-unreachable")) {
            assertThat(SCREENSHOTS.resolve(page + ".png")).as(page).isNotEmptyFile();
        }
    }

    @Test
    void chartsDrawTheApisSeriesForTheirWindow() throws Exception {
        Run run = node("charts.test.js");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("# fail 0").contains("# pass 4").contains("# skipped 0");
        assertThat(SCREENSHOTS.resolve("20-stats.png")).isNotEmptyFile();
    }

    /**
     * Issue 12: alias weights shown and set, statistics by version, and the schedules and triggers panels against the
     * real routes: the script creates a schedule and a RabbitMQ trigger through the API and checks that the panels
     * show what the API answers. The trigger's queue, in a vhost of its own, already holds the messages published
     * here before the script runs (two that succeed, one that fails), so that its deliveries, failures and last error
     * are real. Only a gateway without the routes is a page.route stub.
     */
    @Test
    void aliasWeightsStatsByVersionAndTheSchedulesAndTriggersPanelsWork() throws Exception {
        String vhost = "cf_dash_" + UUID.randomUUID().toString().substring(0, 8);
        String queue = "dash-orders";
        Platform.run("rabbitmqctl", "-q", "add_vhost", vhost);
        try {
            Platform.run("rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
            String broker = "amqp://guest:guest@127.0.0.1:5672/" + vhost;
            var factory = new ConnectionFactory();
            factory.setUri(broker);
            try (var connection = factory.newConnection(); var channel = connection.createChannel()) {
                channel.queueDeclare(queue, true, false, false, null);
                channel.queueDeclare(queue + ".dead", true, false, false, null);
                for (String body : List.of("{\"order\":1}", "{\"order\":2}", "{\"fail\":true}")) {
                    channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().contentType("application/json")
                            .deliveryMode(2).build(), body.getBytes(StandardCharsets.UTF_8));
                }
            }
            Run run = node("split.test.js", Map.of("TRIGGER_BROKER_URL", broker, "TRIGGER_QUEUE", queue));

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains("# fail 0").contains("# pass 6").contains("# skipped 0")
                    .contains("ok 6 - no console error on any page");
            for (String page : List.of("30-alias-split", "31-schedules-triggers", "32-no-schedules")) {
                assertThat(SCREENSHOTS.resolve(page + ".png")).as(page).isNotEmptyFile();
            }
        } finally {
            Platform.run("rabbitmqctl", "-q", "delete_vhost", vhost);
        }
    }

    private static Run node(String script) throws Exception {
        return node(script, Map.of());
    }

    private static Run node(String script, Map<String, String> environment) throws Exception {
        assertThat(Path.of(CHROMIUM)).as("Debian's chromium (apt-get install chromium; .ci/run does)").isExecutable();
        assertThat(SCRIPTS.resolve("node_modules/playwright-core/package.json"))
                .as("playwright-core: run npm ci in e2e-tests/browser (.ci/run does)").exists();
        Files.createDirectories(SCREENSHOTS);
        Platform platform = SharedPlatform.get();
        Path log = SCREENSHOTS.resolve(script + ".log");
        ProcessBuilder builder = new ProcessBuilder("node", "--test", "--test-reporter=tap", script)
                .directory(SCRIPTS.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("CLOUDFUNC_URL", platform.gateway().toString());
        builder.environment().put("CLOUDFUNC_ADMIN_KEY", platform.adminKey);
        builder.environment().put("SCREENSHOTS", SCREENSHOTS.toString());
        builder.environment().put("CHROMIUM", CHROMIUM);
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("the browser tests finished within 5 minutes: " + output).isTrue();
        return new Run(process.exitValue(), output);
    }
}

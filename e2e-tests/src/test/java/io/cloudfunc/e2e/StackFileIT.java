package io.cloudfunc.e2e;

import static io.cloudfunc.e2e.Api.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.ConnectionFactory;
import io.cloudfunc.e2e.Api.CliRun;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code cloudfunc deploy -f cloudfunc.yml} and {@code delete -f} against the platform, run as a user runs them: the
 * built launcher (cli/target/cloudfunc) as a process, its secret taken from its environment. A two-function stack (a
 * Python function with a secret and an alias, an HTTP function from {@code cloudfunc new --http}) is deployed,
 * deployed again unchanged (nothing sent), deployed with one function's code changed (only it), with a secret changed
 * (only its configuration), changed by hand ({@code cloudfunc update}: deployed again from the file), and deleted.
 */
@ExtendWith(SharedPlatform.class)
class StackFileIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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

    /**
     * A function declaring a schedule that ticks every second, a nightly one and a RabbitMQ trigger whose URL's
     * password comes from the environment: deployed, they run the function; deployed again unchanged, nothing is
     * touched; with one schedule changed, one removed and the trigger's concurrency changed, the file's state is what
     * the platform has; a cron the platform refuses leaves the schedule as it was; delete -f stops the consumer.
     */
    @Test
    void deploysTheSchedulesAndTriggersAFunctionDeclaresAndKeepsThemAsTheFileSays() throws Exception {
        String vhost = "cf_stack_" + UUID.randomUUID().toString().substring(0, 8);
        rabbitmqctl("add_vhost", vhost);
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        var factory = new ConnectionFactory();
        factory.setUri("amqp://guest:guest@127.0.0.1:5672/" + vhost);
        try (var connection = factory.newConnection(); var channel = connection.createChannel()) {
            channel.queueDeclare("jobs", true, false, false, null);
            Path stack = Files.createDirectories(SharedPlatform.get().workDir.resolve("stack-events"));
            Files.createDirectories(stack.resolve("events"));
            Files.writeString(stack.resolve("events").resolve("function.py"), """
                    def handler(event, context=None):
                        return {"got": event}
                    """);
            Path file = stack.resolve("cloudfunc.yml");
            String declared = """
                    functions:
                      stack-events:
                        folder: events
                        schedules:
                          tick:
                            cron: "@every 1s"
                            data: {from: schedule, days: 7}
                          nightly: {cron: "0 3 * * *", timezone: Europe/Paris}
                        triggers:
                          jobs:
                            rabbitmq: jobs
                            url: amqp://guest:${BROKER_PASSWORD}@127.0.0.1:5672/VHOST
                    """.replace("VHOST", vhost);
            Files.writeString(file, declared);
            Map<String, String> env = Map.of("BROKER_PASSWORD", "guest");

            Launched first = launch(env, "deploy", "-f", file.toString());
            assertThat(first.out()).containsPattern("stack-events +deployed +1 +new function")
                    .containsPattern("schedule tick of stack-events +created")
                    .containsPattern("schedule nightly of stack-events +created")
                    .containsPattern("trigger jobs of stack-events +created");
            awaitInvocation("\"from\":\"schedule\"", "\"days\":7");
            JsonNode schedules = JSON.readTree(Api.get("/functions/stack-events/schedules").body());
            JsonNode nightly = byName(schedules, "nightly");
            assertThat(nightly.path("timezone").asString()).isEqualTo("Europe/Paris");
            for (JsonNode run : nightly.path("nextRuns")) {
                var paris = Instant.parse(run.asString()).atZone(ZoneId.of("Europe/Paris"));
                assertThat(paris.getHour() * 60 + paris.getMinute()).as(run.asString()).isEqualTo(3 * 60);
            }
            assertThat(nightly.path("nextRuns")).hasSize(3);
            JsonNode trigger = JSON.readTree(Api.get("/functions/stack-events/triggers/jobs").body());
            assertThat(trigger.path("url").asString()).isEqualTo("amqp://guest:***@127.0.0.1:5672/" + vhost);
            channel.basicPublish("", "jobs", null, "{\"job\":1}".getBytes(StandardCharsets.UTF_8));
            awaitInvocation("\"job\":1");

            Launched again = launch(env, "deploy", "-f", file.toString());
            assertThat(again.out()).containsPattern("stack-events +unchanged +1\n")
                    .containsPattern("schedule tick of stack-events +unchanged")
                    .containsPattern("schedule nightly of stack-events +unchanged")
                    .containsPattern("trigger jobs of stack-events +unchanged +- +url's password not compared");

            Files.writeString(file, declared.replace("""
                          tick:
                            cron: "@every 1s"
                            data: {from: schedule, days: 7}
                    """, "").replace("0 3 * * *", "30 4 * * *").replace("rabbitmq: jobs", "rabbitmq: jobs\n"
                    + "        concurrency: 2"));
            Launched changed = launch(env, "deploy", "-f", file.toString());
            assertThat(changed.out()).containsPattern("stack-events +unchanged +1\n")
                    .containsPattern("schedule nightly of stack-events +replaced +- +cron changed")
                    .containsPattern("schedule tick of stack-events +removed +- +not in the file")
                    .containsPattern("trigger jobs of stack-events +replaced +- +concurrency changed");
            schedules = JSON.readTree(Api.get("/functions/stack-events/schedules").body());
            assertThat(schedules).hasSize(1);
            assertThat(byName(schedules, "nightly").path("cron").asString()).isEqualTo("30 4 * * *");
            trigger = JSON.readTree(Api.get("/functions/stack-events/triggers/jobs").body());
            assertThat(trigger.path("concurrency").asInt()).isEqualTo(2);
            channel.basicPublish("", "jobs", null, "{\"job\":2}".getBytes(StandardCharsets.UTF_8));
            awaitInvocation("\"job\":2");

            // a cron whose shape the CLI accepts but the platform refuses (hour 99): its problem detail, and the
            // schedule it was to replace is there as before
            Files.writeString(file, Files.readString(file).replace("30 4 * * *", "30 99 * * *"));
            Launched refused = launch(env, 4, "deploy", "-f", file.toString());
            assertThat(refused.err()).startsWith("Error: schedule nightly of stack-events: invalid cron '30 99 * * *'")
                    .contains("(the schedule is kept as it was)");
            schedules = JSON.readTree(Api.get("/functions/stack-events/schedules").body());
            assertThat(byName(schedules, "nightly").path("cron").asString()).isEqualTo("30 4 * * *");
            assertThat(byName(schedules, "nightly").path("timezone").asString()).isEqualTo("Europe/Paris");

            Launched deleted = launch(Map.of(), "delete", "-f", file.toString());
            assertThat(deleted.out()).containsPattern("stack-events +deleted");
            assertThat(Api.get("/functions/stack-events/schedules").statusCode()).isEqualTo(404);
            // the function's trigger went with it: the platform stops consuming its queue
            Instant deadline = Instant.now().plusSeconds(60);
            while (channel.consumerCount("jobs") > 0 && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            assertThat(channel.consumerCount("jobs")).isZero();
        } finally {
            Api.delete("/functions/stack-events");
            rabbitmqctl("delete_vhost", vhost);
        }
    }

    private static JsonNode byName(JsonNode all, String name) {
        for (JsonNode item : all) {
            if (item.path("name").asString().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no " + name + " in " + all);
    }

    /** A succeeded invocation of stack-events whose request (as PostgreSQL prints it) holds every fragment. */
    private static void awaitInvocation(String... fragments) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            for (String row : SharedPlatform.get().query("select request::text || '|' || status from invocations "
                    + "where function_name = 'stack-events'")) {
                last = row;
                String compact = row.replace(" ", "");
                if (Arrays.stream(fragments).allMatch(compact::contains) && row.endsWith("|SUCCEEDED")) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no succeeded invocation with " + String.join(", ", fragments) + " (last: " + last
                + ")");
    }

    private static void rabbitmqctl(String... args) throws Exception {
        var command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " failed: " + output);
        }
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
        return launch(env, 0, args);
    }

    /** The built launcher as a process with {@code env} added to its environment; it must exit with {@code code}. */
    private static Launched launch(Map<String, String> env, int code, String... args) throws Exception {
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
        assertThat(process.exitValue()).as(out + err).isEqualTo(code);
        return new Launched(out, err);
    }
}

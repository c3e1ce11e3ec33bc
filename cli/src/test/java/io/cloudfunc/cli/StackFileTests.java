package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudfunc.cli.StackFile.Purpose;
import io.cloudfunc.cli.StackFile.StackFunction;
import io.cloudfunc.contracts.function.FunctionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackFileTests {

    @TempDir
    Path dir;

    @BeforeEach
    void folders() throws IOException {
        Files.createDirectories(dir.resolve("hello"));
        Files.createDirectories(dir.resolve("greeter"));
    }

    @Test
    void readsEveryDeclaredSettingWithSecretsFromTheEnvironmentAndAFile() throws IOException {
        Files.writeString(dir.resolve("secrets.env"), "# for greeter\nDB_PASSWORD=from-file\nAPI_TOKEN=overridden\n");
        StackFile stack = load("""
                version: 1
                functions:
                  hello:
                    folder: hello
                  greeter:
                    folder: ./greeter
                    runtime: node
                    handler: index.greet
                    memory: 256m
                    cpu: 0.5
                    timeout: 10s
                    idleTtl: 2m
                    minInstances: 1
                    maxInstances: 3
                    concurrency: 2
                    network: outbound
                    maxRetries: 2
                    retryBackoff: 500ms
                    env:
                      GREETING: Hello ${WHO}
                      PORT: 8080
                    secrets:
                      API_TOKEN: ${TOKEN}
                    secretsFile: secrets.env
                    aliases: [live, canary]
                    http:
                      access: public
                """, Map.of("TOKEN", "t0ken", "WHO", "there"));

        assertThat(stack.functions()).extracting(StackFunction::name).containsExactly("hello", "greeter");
        StackFunction hello = stack.functions().get(0);
        assertThat(hello.folder()).isEqualTo(dir.resolve("hello"));
        assertThat(hello.spec()).isEqualTo(new FunctionSpec("hello", "python", null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null));
        StackFunction greeter = stack.functions().get(1);
        assertThat(greeter.line()).isEqualTo(5);
        assertThat(greeter.folder()).isEqualTo(dir.resolve("greeter"));
        assertThat(greeter.aliases()).containsExactly("live", "canary");
        assertThat(greeter.spec()).isEqualTo(new FunctionSpec("greeter", "node", "index.greet", 10_000L, 256, 500,
                120_000L, Map.of("GREETING", "Hello there", "PORT", "8080"), 1, 3, 2, "outbound", null, null, 2,
                500L, Map.of("API_TOKEN", "t0ken", "DB_PASSWORD", "from-file"), "public", null));
    }

    @Test
    void anImageFunctionNeedsNoFolderButItsImage() throws IOException {
        StackFile stack = load("""
                functions:
                  stdio:
                    runtime: image
                    image: example/stdio-hello:1
                    http: {access: webhook, webhookSecret: "${HOOK}"}
                """, Map.of("HOOK", "s3cret"));

        StackFunction stdio = stack.functions().getFirst();
        assertThat(stdio.folder()).isNull();
        assertThat(stdio.spec().image()).isEqualTo("example/stdio-hello:1");
        assertThat(stdio.spec().httpAccess()).isEqualTo("webhook");
        assertThat(stdio.spec().webhookSecret()).isEqualTo("s3cret");
    }

    @Test
    void eachMistakeIsOneLineWithItsLineAndField() {
        assertMistake("""
                functions:
                  hello:
                    folder: hello
                    memory: lots
                """, "cloudfunc.yml:4: functions.hello.memory: must be a size like 256m or 1g");
        assertMistake("""
                functions:
                  hello:
                    folder: hello
                    timeout: soon
                """, "cloudfunc.yml:4: functions.hello.timeout: must be a duration like 30s, 500ms or 2m");
        assertMistake("""
                functions:
                  hello:
                    folder: hello
                    cpu: many
                """, "cloudfunc.yml:4: functions.hello.cpu: must be CPUs like 0.5 or 2, or thousandths like 500m");
        assertMistake("""
                functions:
                  hello:
                    folder: hello
                    memroy: 256m
                """, "cloudfunc.yml:4: functions.hello.memroy: unknown field; a function has folder, runtime,");
        assertMistake("""
                functions:
                  Hello_World:
                    folder: hello
                """, "cloudfunc.yml:2: functions.Hello_World: invalid function name");
        assertMistake("""
                functions:
                  hello:
                    runtime: python
                """, "cloudfunc.yml:2: functions.hello.folder: missing: the folder with the function's code");
        assertMistake("""
                functions:
                  hello:
                    folder: nowhere
                """, "cloudfunc.yml:3: functions.hello.folder: no such folder: ");
        assertMistake("""
                functions:
                  hello:
                    folder: hello
                    secrets:
                      TOKEN: ${NOT_SET_HERE}
                """, "cloudfunc.yml:5: functions.hello.secrets.TOKEN: environment variable NOT_SET_HERE is not set");
        assertMistake("""
                functions:
                  hello:
                    folder: hello
                    aliases: live
                """, "cloudfunc.yml:4: functions.hello.aliases: must be a list of alias names, e.g. [live]");
        assertMistake("""
                functions:
                  hello:
                    folder: hello
                    aliases: [Live]
                """, "cloudfunc.yml:4: functions.hello.aliases: invalid alias 'Live'");
        assertMistake("""
                functions:
                  hello:
                    folder: hello
                    http: {access: open}
                """, "cloudfunc.yml:4: functions.hello.http.access: must be one of key, public, webhook");
        assertMistake("""
                functions:
                  hello:
                    folder: hello
                    http: {access: webhook}
                """, "cloudfunc.yml:4: functions.hello.http: webhookSecret goes with access: webhook");
        assertMistake("""
                functions:
                  hello:
                    folder: hello
                    minInstances: -1
                """, "cloudfunc.yml:4: functions.hello.minInstances: must be a whole number, 0 or more");
        assertMistake("""
                functions:
                  hello:
                    folder: hello
                    schedules: ["*/5 * * * *"]
                """, "cloudfunc.yml:4: functions.hello.schedules: must be a mapping of names to values");
        assertMistake("""
                functions:
                  hello:
                    folder: hello
                    folder: hello
                """, "cloudfunc.yml:4: functions.hello.folder: given twice");
        assertMistake("""
                functions:
                  hello:
                    folder: [hello]
                """, "cloudfunc.yml:3: functions.hello.folder: must be a single value, not a list");
        assertMistake("""
                functions:
                  hello:
                    folder: hello
                    env:
                      2FAST: yes
                """, "cloudfunc.yml:5: functions.hello.env.2FAST: a variable name is letters, digits and '_'");
        assertMistake("""
                functions:
                  stdio:
                    runtime: image
                """, "cloudfunc.yml:2: functions.stdio.image: missing: a function of runtime image names its image");
        assertMistake("""
                functions:
                  hello:
                    folder: hello
                    runtime: cobol
                """, "cloudfunc.yml:4: functions.hello.runtime: must be one of python, node, java, image");
        assertMistake("""
                functions:
                  hello:
                    folder: hello
                    env: {TOKEN: a}
                    secrets: {TOKEN: b}
                """, "cloudfunc.yml:4: functions.hello.env.TOKEN: is also a secret; give it once");
    }

    @Test
    void readsSchedulesWithTheirDataAsJsonAndTriggersWithTheirUrlFromTheEnvironment() throws IOException {
        StackFile stack = load("""
                functions:
                  hello:
                    folder: hello
                    schedules:
                      nightly:
                        cron: "0 3 * * *"
                        timezone: Europe/Paris
                        data: {report: daily, days: 7, ratio: 0.5, full: true, none: null, tags: [a, "7"]}
                      often: {cron: "@every 30s", paused: true}
                    triggers:
                      orders:
                        rabbitmq: orders
                        url: amqp://app:${ORDERS_PASSWORD}@broker:5672/shop
                        concurrency: 4
                        deadLetter: orders.dead
                      sensors: {mqtt: "sensors/+/temp"}
                  greeter:
                    folder: greeter
                """, Map.of("ORDERS_PASSWORD", "s3cret"));

        StackFunction hello = stack.functions().getFirst();
        var nightly = hello.schedules().get("nightly");
        assertThat(nightly.cron()).isEqualTo("0 3 * * *");
        assertThat(nightly.timezone()).isEqualTo("Europe/Paris");
        assertThat(nightly.data()).isEqualTo(GatewayClient.JSON.readTree(
                "{\"report\":\"daily\",\"days\":7,\"ratio\":0.5,\"full\":true,\"none\":null,\"tags\":[\"a\",\"7\"]}"));
        assertThat(nightly.paused()).isFalse();
        var often = hello.schedules().get("often");
        assertThat(often.timezone()).as("the platform's default").isEqualTo("UTC");
        assertThat(often.data()).isEqualTo(GatewayClient.JSON.createObjectNode());
        assertThat(often.paused()).isTrue();
        var orders = hello.triggers().get("orders");
        assertThat(orders.kind().wireName()).isEqualTo("rabbitmq");
        assertThat(orders.source()).isEqualTo("orders");
        assertThat(orders.url()).isEqualTo("amqp://app:s3cret@broker:5672/shop");
        assertThat(orders.maskedUrl()).isEqualTo("amqp://app:***@broker:5672/shop");
        assertThat(orders.secretUrl()).isTrue();
        assertThat(orders.concurrency()).isEqualTo(4);
        assertThat(orders.deadLetter()).isEqualTo("orders.dead");
        var sensors = hello.triggers().get("sensors");
        assertThat(sensors.kind().wireName()).isEqualTo("mqtt");
        assertThat(sensors.url()).isNull();
        assertThat(sensors.concurrency()).isEqualTo(1);
        StackFunction greeter = stack.functions().get(1);
        assertThat(greeter.schedules()).as("not declared: left as they are").isNull();
        assertThat(greeter.triggers()).isNull();
    }

    @Test
    void aScheduleOrTriggerMistakeIsReportedWithItsLineAndField() {
        String head = "functions:\n  hello:\n    folder: hello\n";
        assertMistake(head + "    schedules:\n      nightly: {timezone: UTC}\n",
                "cloudfunc.yml:5: functions.hello.schedules.nightly.cron: missing");
        assertMistake(head + "    schedules:\n      nightly: {cron: \"0 3 * *\"}\n",
                "cloudfunc.yml:5: functions.hello.schedules.nightly.cron: a cron expression has five fields "
                        + "(minute hour day-of-month month day-of-week), this one has 4");
        assertMistake(head + "    schedules:\n      nightly: {cron: \"0 3 * * * *\"}\n",
                "cloudfunc.yml:5: functions.hello.schedules.nightly.cron: a cron expression has five fields");
        assertMistake(head + "    schedules:\n      nightly: {cron: \"@every 1x\"}\n",
                "cloudfunc.yml:5: functions.hello.schedules.nightly.cron: @every takes a duration");
        assertMistake(head + "    schedules:\n      nightly: {cron: \"@sometimes\"}\n",
                "cloudfunc.yml:5: functions.hello.schedules.nightly.cron: unknown macro");
        assertMistake(head + "    schedules:\n      nightly:\n        cron: \"@daily\"\n        timezone: Mars/Olympus\n",
                "cloudfunc.yml:7: functions.hello.schedules.nightly.timezone: not a time zone");
        assertMistake(head + "    schedules:\n      nightly: {cron: \"@daily\", data: [1, 2]}\n",
                "cloudfunc.yml:5: functions.hello.schedules.nightly.data: must be a mapping");
        assertMistake(head + "    schedules:\n      nightly: {cron: \"@daily\", paused: maybe}\n",
                "cloudfunc.yml:5: functions.hello.schedules.nightly.paused: must be true or false");
        assertMistake(head + "    schedules:\n      nightly: {cron: \"@daily\", every: 5}\n",
                "cloudfunc.yml:5: functions.hello.schedules.nightly.every: unknown field; expected cron, data, "
                        + "paused, timezone");
        assertMistake(head + "    schedules:\n      Nightly: {cron: \"@daily\"}\n",
                "cloudfunc.yml:5: functions.hello.schedules.Nightly: invalid schedule name");
        assertMistake(head + "    triggers:\n      orders: {concurrency: 2}\n",
                "cloudfunc.yml:5: functions.hello.triggers.orders: a trigger names one source: rabbitmq: QUEUE, "
                        + "mqtt: TOPIC or nats: SUBJECT");
        assertMistake(head + "    triggers:\n      orders: {rabbitmq: orders, nats: orders}\n",
                "cloudfunc.yml:5: functions.hello.triggers.orders: a trigger names one source");
        assertMistake(head + "    triggers:\n      orders: {rabbitmq: orders, url: \"nats://host:4222\"}\n",
                "cloudfunc.yml:5: functions.hello.triggers.orders.url: a rabbitmq URL starts with amqp://, amqps://");
        assertMistake(head + "    triggers:\n      orders:\n        rabbitmq: orders\n        concurrency: 65\n",
                "cloudfunc.yml:7: functions.hello.triggers.orders.concurrency: must be 1 to 64");
        assertMistake(head + "    triggers:\n      orders: {rabbitmq: orders, url: \"amqp://u:${NOT_SET}@h/\"}\n",
                "cloudfunc.yml:5: functions.hello.triggers.orders.url: environment variable NOT_SET is not set");
    }

    @Test
    void theFileItselfMustBeYamlWithFunctions() {
        assertMistake("functions:\n  hello: [unclosed\n", "cloudfunc.yml:3: not valid YAML");
        assertMistake("", "cloudfunc.yml:1: the file is empty");
        assertMistake("version: 2\nfunctions: {}\n", "cloudfunc.yml:1: version: must be 1");
        assertMistake("functions:\n", "cloudfunc.yml:1: functions: must be a mapping of names to values");
        assertMistake("version: 1\n", "cloudfunc.yml:1: functions: missing");
        assertMistake("function:\n  hello: {}\n", "cloudfunc.yml:1: function: unknown field; expected functions, "
                + "version");
    }

    @Test
    void aDeleteReadsOnlyTheNamesSoUnsetSecretsAndMissingFoldersDoNotStopIt() throws IOException {
        StackFile stack = StackFile.load(write("""
                functions:
                  gone:
                    folder: deleted-already
                    secrets: {TOKEN: "${UNSET_VARIABLE}"}
                """), Map.of(), Purpose.DELETE);

        assertThat(stack.functions()).extracting(StackFunction::name).containsExactly("gone");
    }

    @Test
    void theReadmesExampleIsValid() {
        Path example = Path.of("..", "examples", "stack", "cloudfunc.yml");

        StackFile stack = StackFile.load(example, Map.of("HELLO_TOKEN", "t"), Purpose.DEPLOY);

        assertThat(stack.functions()).extracting(StackFunction::name).containsExactly("hello-stack", "web-stack");
        assertThat(stack.functions().getFirst().spec().secrets()).isEqualTo(Map.of("API_TOKEN", "t"));
        assertThat(stack.functions().get(1).spec().httpAccess()).isEqualTo("public");
        var nightly = stack.functions().getFirst().schedules().get("nightly");
        assertThat(nightly.cron()).isEqualTo("0 3 * * *");
        assertThat(nightly.timezone()).isEqualTo("Europe/Paris");
        assertThat(stack.functions().get(1).schedules()).isNull();
    }

    private StackFile load(String yaml, Map<String, String> env) throws IOException {
        return StackFile.load(write(yaml), env, Purpose.DEPLOY);
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("cloudfunc.yml");
        Files.writeString(file, yaml);
        // as the user names it: relative to where the command runs; here, relative to the test's folder
        return file;
    }

    private void assertMistake(String yaml, String message) {
        assertThatThrownBy(() -> load(yaml, Map.of()))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
                    assertThat(e.getMessage().replace(dir.resolve("cloudfunc.yml").toString(), "cloudfunc.yml"))
                            .startsWith(message).doesNotContain("\n");
                });
    }
}

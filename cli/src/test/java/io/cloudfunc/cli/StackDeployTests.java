package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.cli.StackFile.Purpose;
import io.cloudfunc.cli.StubGateway.Answer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy -f and delete -f against a stand-in gateway: what is sent, what is left alone, what is said. */
class StackDeployTests {

    @TempDir
    Path dir;

    Path file;

    @BeforeEach
    void stack() throws IOException {
        for (String name : new String[] {"same", "edited"}) {
            Files.createDirectories(dir.resolve(name));
            Files.writeString(dir.resolve(name).resolve("function.py"), "def handler(event):\n    return 1\n");
        }
        file = dir.resolve("cloudfunc.yml");
        Files.writeString(file, """
                functions:
                  same:
                    folder: same
                    aliases: [live]
                  edited:
                    folder: edited
                    memory: 256m
                  fresh:
                    folder: same
                """);
    }

    @Test
    void deploysTheNewAndTheChangedFunctionsAndLeavesTheUnchangedOneAlone() throws IOException {
        String sameDigest = digest("same");
        String editedDigest = digest("edited");
        String staleCode = "cf1:" + "0".repeat(64) + editedDigest.substring(editedDigest.lastIndexOf(':'));
        // a deploy of code carries ?buildId= and may poll GET /builds/{id}/log: routed and compared without them
        try (var gateway = StubGateway.start((method, uri) -> switch (method + " " + uri.replaceFirst("\\?.*", "")) {
            case "GET /functions" -> Answer.ok("[{\"name\":\"same\",\"latestVersion\":3,\"deployDigest\":\""
                    + sameDigest + "\"},{\"name\":\"edited\",\"latestVersion\":1,\"deployDigest\":\"" + staleCode
                    + "\"},{\"name\":\"other\",\"latestVersion\":1}]");
            case "GET /functions/same/aliases" -> Answer.ok("[{\"alias\":\"live\",\"version\":2}]");
            case "PUT /functions/same/aliases/live" -> Answer.ok("{\"alias\":\"live\",\"version\":3}");
            case "POST /functions" -> new Answer(201, "{\"latestVersion\":2}");
            default -> new Answer(404, "{\"detail\":\"unexpected " + method + " " + uri + "\"}");
        })) {
            CliRun run = gateway.run("deploy", "-f", file.toString());

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(gateway.requests.stream().filter(request -> !request.startsWith("GET /builds/"))
                    .map(request -> request.replaceFirst("\\?.*", ""))).containsExactly("GET /functions",
                    "GET /functions/same/aliases", "PUT /functions/same/aliases/live", "POST /functions",
                    "POST /functions");
            assertThat(run.out().lines()).containsExactly(
                    "NAME    ACTION     VERSION  WHY",
                    "same    unchanged  3        live -> 3",
                    "edited  deployed   2        code changed",
                    "fresh   deployed   2        new function");
            assertThat(run.err()).contains("Deploying edited (" + dir.resolve("edited"))
                    .contains("Deploying fresh (" + dir.resolve("same"));
        }
    }

    @Test
    void aDryRunSaysWhatWouldBeDeployedAndSendsNothingButTheList() throws IOException {
        try (var gateway = StubGateway.start((method, uri) -> Answer.ok("[{\"name\":\"same\",\"latestVersion\":1}]"))) {
            CliRun run = gateway.run("-o", "json", "deploy", "-f", file.toString(), "--dry-run");

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(gateway.requests).containsExactly("GET /functions");
            assertThat(run.out()).contains("\"action\" : \"would deploy\"")
                    .contains("\"reason\" : \"last deployed without this file (or changed since by hand)\"")
                    .contains("\"reason\" : \"new function\"");
        }
    }

    @Test
    void anInvalidFileOrAFlagBesideItSendsNothing() throws IOException {
        Files.writeString(file, Files.readString(file).replace("memory: 256m", "memory: plenty"));
        try (var gateway = StubGateway.start((method, uri) -> Answer.ok("[]"))) {
            CliRun invalid = gateway.run("deploy", "-f", file.toString());
            CliRun flag = gateway.run("deploy", "-f", file.toString(), "--memory", "256m");
            CliRun folder = gateway.run("deploy", "-f", file.toString(), dir.toString());

            assertThat(invalid.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(invalid.err()).isEqualTo("Error: " + file + ":7: functions.edited.memory: must be a size like "
                    + "256m or 1g\n");
            assertThat(flag.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(flag.err()).contains("--memory does not go with -f");
            assertThat(folder.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(folder.err()).contains("DIR does not go with -f");
            assertThat(gateway.requests).isEmpty();
        }
    }

    @Test
    void deleteRemovesEveryDeclaredFunctionAndReportsOneAlreadyGone() throws IOException {
        try (var gateway = StubGateway.start((method, uri) -> uri.equals("/functions/fresh")
                ? new Answer(404, "{\"detail\":\"no function 'fresh'\"}") : new Answer(204, ""))) {
            CliRun run = gateway.run("delete", "-f", file.toString());

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(gateway.requests).containsExactly("DELETE /functions/same", "DELETE /functions/edited",
                    "DELETE /functions/fresh");
            assertThat(run.out().lines()).containsExactly(
                    "NAME    ACTION     VERSION  WHY",
                    "same    deleted    -",
                    "edited  deleted    -",
                    "fresh   not found  -        nothing to delete");
        }
    }

    @Test
    void givesAFunctionExactlyTheSchedulesAndTriggersItDeclaresAndSaysWhatChanged() throws IOException {
        Files.writeString(file, """
                functions:
                  same:
                    folder: same
                    schedules:
                      kept: {cron: "@daily", data: {n: 1}}
                      moved: {cron: "0 4 * * *"}
                      halted: {cron: "@hourly", paused: true}
                      fresh: {cron: "@every 30s"}
                    triggers:
                      orders: {rabbitmq: orders, url: "amqp://app:${PASSWORD}@broker/shop"}
                """);
        String sameDigest = digest("same");
        try (var gateway = StubGateway.start((method, uri) -> switch (method + " " + uri) {
            case "GET /functions" -> Answer.ok("[{\"name\":\"same\",\"latestVersion\":3,\"deployDigest\":\""
                    + sameDigest + "\"}]");
            case "GET /functions/same/schedules" -> Answer.ok("""
                    [{"name":"kept","cron":"@daily","timezone":"UTC","data":{"n":1},"paused":false},
                     {"name":"moved","cron":"0 3 * * *","timezone":"UTC","data":{},"paused":false},
                     {"name":"halted","cron":"@hourly","timezone":"UTC","data":{},"paused":false},
                     {"name":"old","cron":"@hourly","timezone":"UTC","data":{},"paused":false}]""");
            case "GET /functions/same/triggers" -> Answer.ok("""
                    [{"name":"orders","kind":"rabbitmq","source":"orders","url":"amqp://app:***@broker/shop",
                      "concurrency":1,"deadLetter":null},
                     {"name":"stale","kind":"nats","source":"a.b","url":null,"concurrency":1}]""");
            case "POST /functions/same/schedules", "POST /functions/same/schedules/halted/pause" -> new Answer(201, "{}");
            case "DELETE /functions/same/schedules/moved", "DELETE /functions/same/schedules/old",
                 "DELETE /functions/same/triggers/stale" -> new Answer(204, "");
            default -> new Answer(404, "{\"detail\":\"unexpected " + method + " " + uri + "\"}");
        })) {
            CliRun run = gateway.runWithEnv(Map.of("PASSWORD", "s3cret"), "deploy", "-f", file.toString());

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(gateway.requests).containsExactly("GET /functions", "GET /functions/same/schedules",
                    "POST /functions/same/schedules", "POST /functions/same/schedules/halted/pause",
                    "DELETE /functions/same/schedules/moved", "POST /functions/same/schedules",
                    "DELETE /functions/same/schedules/old", "GET /functions/same/triggers",
                    "DELETE /functions/same/triggers/stale");
            assertThat(run.out().lines()).containsExactly(
                    "NAME                     ACTION     VERSION  WHY",
                    "same                     unchanged  3",
                    "schedule kept of same    unchanged  -",
                    "schedule fresh of same   created    -",
                    "schedule halted of same  paused     -",
                    "schedule moved of same   replaced   -        cron changed",
                    "schedule old of same     removed    -        not in the file",
                    "trigger orders of same   unchanged  -        url's password not compared (the platform never "
                            + "shows it)",
                    "trigger stale of same    removed    -        not in the file");
        }
    }

    @Test
    void aScheduleThePlatformRefusesLeavesTheOldOneAsItWas() throws IOException {
        Files.writeString(file, """
                functions:
                  same:
                    folder: same
                    schedules:
                      nightly: {cron: "0 99 * * *"}
                """);
        String sameDigest = digest("same");
        var creates = new java.util.concurrent.atomic.AtomicInteger();
        try (var gateway = StubGateway.start((method, uri) -> switch (method + " " + uri) {
            case "GET /functions" -> Answer.ok("[{\"name\":\"same\",\"latestVersion\":3,\"deployDigest\":\""
                    + sameDigest + "\"}]");
            case "GET /functions/same/schedules" -> Answer.ok("""
                    [{"name":"nightly","cron":"0 3 * * *","timezone":"UTC","data":{},"paused":true}]""");
            case "DELETE /functions/same/schedules/nightly" -> new Answer(204, "");
            case "POST /functions/same/schedules" -> creates.getAndIncrement() == 0
                    ? new Answer(400, "{\"detail\":\"invalid cron '0 99 * * *': not a valid cron expression\"}")
                    : new Answer(201, "{}");
            case "POST /functions/same/schedules/nightly/pause" -> Answer.ok("{}");
            default -> new Answer(404, "{\"detail\":\"unexpected " + method + " " + uri + "\"}");
        })) {
            CliRun run = gateway.run("deploy", "-f", file.toString());

            assertThat(run.code()).isEqualTo(ExitCodes.forStatus(400));
            assertThat(run.err()).isEqualTo("Error: schedule nightly of same: invalid cron '0 99 * * *': not a valid "
                    + "cron expression (the schedule is kept as it was)\n");
            assertThat(gateway.requests).containsExactly("GET /functions", "GET /functions/same/schedules",
                    "DELETE /functions/same/schedules/nightly", "POST /functions/same/schedules",
                    "POST /functions/same/schedules", "POST /functions/same/schedules/nightly/pause");
            assertThat(run.out()).contains("same  unchanged  3");
        }
    }

    private String digest(String name) {
        return StackFile.load(file, Map.of("PASSWORD", "s3cret"), Purpose.DEPLOY).functions().stream()
                .filter(function -> function.name().equals(name)).map(DeployDigest::of).findFirst().orElseThrow();
    }
}

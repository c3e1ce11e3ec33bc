package io.cloudfunc.e2e;

import static io.cloudfunc.e2e.Api.cli;
import static io.cloudfunc.e2e.Api.delete;
import static io.cloudfunc.e2e.Api.deployInline;
import static io.cloudfunc.e2e.Api.get;
import static io.cloudfunc.e2e.Api.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Schedules end to end (issue 12): created through the CLI, their ticks run as asynchronous invocations of a Python
 * function whose event carries the schedule's data; two schedulers run each tick exactly once, and after every
 * scheduler was down the missed ticks are skipped (the latest one run once), never run twice.
 */
@ExtendWith(SharedPlatform.class)
class ScheduleIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Returns its event, and writes the tick to the container's own stderr (past the runtime's per-call capture), so
     * that runs are counted from Docker's log of the containers.
     */
    private static final String ECHO = """
            import os
            def handler(event, context):
                os.write(2, ("cf-run %s %s\\n" % (event.get("schedule"), event.get("tick"))).encode())
                return event
            """;

    @Test
    void aScheduleMadeWithTheCliRunsTheFunctionWithItsData() throws Exception {
        deployInline("sched-cli", ECHO);
        try {
            Api.CliRun created = cli("schedule", "create", "sched-cli", "--cron", "@every 1s", "--name", "each-second",
                    "--data", "{\"report\":\"daily\"}");
            assertThat(created.exitCode()).as(created.err()).isZero();
            assertThat(created.out()).contains("Created schedule each-second of sched-cli: '@every 1s' (UTC)")
                    .contains("Next runs: ");

            await(Duration.ofSeconds(60), () -> succeeded("sched-cli").size() >= 3);
            for (JsonNode result : succeeded("sched-cli")) {
                assertThat(result.path("schedule").asString()).isEqualTo("each-second");
                assertThat(result.path("data").path("report").asString()).isEqualTo("daily");
                assertThat(Instant.parse(result.path("tick").asString()).getNano()).isZero();
            }

            Api.CliRun listed = cli("schedule", "list", "sched-cli");
            assertThat(listed.exitCode()).as(listed.err()).isZero();
            assertThat(listed.out()).contains("NAME").contains("NEXT_RUN").contains("each-second").contains("active");
            JsonNode view = JSON.readTree(get("/functions/sched-cli/schedules/each-second").body());
            assertThat(view.path("lastRunAt").isString()).isTrue();
            String last = view.path("lastInvocationId").asString();
            assertThat(Api.awaitFinalRecord(last)).contains("\"status\":\"SUCCEEDED\"").contains("\"each-second\"");

            Api.CliRun paused = cli("schedule", "pause", "sched-cli", "each-second");
            assertThat(paused.exitCode()).as(paused.err()).isZero();
            assertThat(paused.out()).contains("Paused schedule each-second").contains("Next runs: none (paused)");
            assertThat(JSON.readTree(get("/functions/sched-cli/schedules").body()).get(0).path("paused").asBoolean())
                    .isTrue();
            Api.CliRun resumed = cli("-o", "json", "schedule", "resume", "sched-cli", "each-second");
            assertThat(resumed.exitCode()).as(resumed.err()).isZero();
            assertThat(JSON.readTree(resumed.out()).path("nextRuns").size()).isEqualTo(3);
            Api.CliRun deleted = cli("schedule", "delete", "sched-cli", "each-second");
            assertThat(deleted.exitCode()).as(deleted.err()).isZero();
            assertThat(cli("schedule", "list", "sched-cli").out()).contains("No schedules for sched-cli.");
        } finally {
            delete("/functions/sched-cli");
        }
    }

    @Test
    void badSchedulesAreProblemDetailsAndOneLineErrors() throws Exception {
        deployInline("sched-bad", ECHO);
        try {
            problem(create("sched-bad", "{\"cron\":\"*/5 * * *\"}"), 400, "invalid-request", "five fields");
            problem(create("sched-bad", "{\"cron\":\"99 * * * *\"}"), 400, "invalid-request", "invalid cron");
            problem(create("sched-bad", "{\"cron\":\"@every 1x\"}"), 400, "invalid-request", "@every");
            problem(create("sched-bad", "{\"cron\":\"@hourly\",\"timezone\":\"Nowhere/Atlantis\"}"), 400,
                    "invalid-request", "invalid timezone");
            problem(create("sched-bad", "{\"cron\":\"@hourly\",\"data\":\"text\"}"), 400, "invalid-request",
                    "JSON object");
            problem(create("sched-missing", "{\"cron\":\"@hourly\"}"), 404, "function-not-found", "sched-missing");
            assertThat(create("sched-bad", "{\"cron\":\"@hourly\",\"name\":\"h\"}").statusCode()).isEqualTo(201);
            problem(create("sched-bad", "{\"cron\":\"@daily\",\"name\":\"h\"}"), 409, "schedule-exists", "'h'");
            problem(get("/functions/sched-bad/schedules/nope"), 404, "schedule-not-found", "nope");
            problem(post("/functions/sched-bad/schedules/nope/pause", "application/json", new byte[0]), 404,
                    "schedule-not-found", "nope");

            Api.CliRun badCron = cli("schedule", "create", "sched-bad", "--cron", "61 * * * *");
            assertThat(badCron.exitCode()).isNotZero();
            assertThat(badCron.err().strip()).contains("invalid cron").doesNotContain("\n");
            Api.CliRun unknown = cli("schedule", "create", "sched-missing", "--cron", "@hourly");
            assertThat(unknown.exitCode()).isNotZero();
            assertThat(unknown.err().strip()).doesNotContain("\n");
            Api.CliRun badData = cli("schedule", "create", "sched-bad", "--cron", "@hourly", "--data", "[1]");
            assertThat(badData.exitCode()).isNotZero();
            assertThat(badData.err().strip()).contains("--data must be a JSON object").doesNotContain("\n");
        } finally {
            delete("/functions/sched-bad");
        }
    }

    @Test
    void twoSchedulersRunEachTickOnceAndAfterARestartNoTickRunsTwice() throws Exception {
        Platform platform = SharedPlatform.get();
        deployInline("sched-two", ECHO);
        platform.startInstance("scheduler", "scheduler-b");
        Instant killedAt;
        Instant downAt;
        Instant upAt;
        try {
            assertThat(create("sched-two", "{\"cron\":\"@every 1s\",\"name\":\"tick\"}").statusCode()).isEqualTo(201);
            await(Duration.ofSeconds(60), () -> ticks("sched-two").size() >= 5);

            // one scheduler killed: the other goes on alone
            platform.kill("scheduler");
            killedAt = Instant.now();
            await(Duration.ofSeconds(30), () -> ticks("sched-two").keySet().stream()
                    .filter(t -> t.isAfter(killedAt.plusSeconds(1))).count() >= 3);

            // every scheduler down for a while: ticks fall due with nobody to run them
            platform.stop("scheduler-b");
            downAt = Instant.now(); // no scheduler runs from here on
            Thread.sleep(3000);
            platform.restart("scheduler");
            upAt = Instant.now();
            await(Duration.ofSeconds(60), () -> ticks("sched-two").keySet().stream()
                    .filter(t -> t.isAfter(upAt)).count() >= 3);
        } finally {
            delete("/functions/sched-two/schedules/tick");
            platform.stop("scheduler-b");
        }
        // the runs still under way end
        awaitStable(() -> ticks("sched-two").size());

        Map<Instant, Integer> records = ticks("sched-two");
        Map<Instant, Integer> runs = runs("sched-two");
        System.out.println("[schedule] ticks recorded " + records.size() + ", runs " + runs.size() + "; one scheduler "
                + "killed at " + killedAt + ", all down " + downAt + " to " + upAt);
        assertThat(records.values()).as("records per tick").allMatch(n -> n == 1);
        assertThat(runs.values()).as("runs per tick (from the containers' logs)").allMatch(n -> n == 1);
        assertThat(runs.keySet()).as("every recorded tick ran").containsAll(records.keySet());

        // ticks one second apart while a scheduler ran, through the kill of one of the two (at most the one tick the
        // killed scheduler had claimed and not yet published); one gap where every scheduler was down: the ticks
        // missed there were skipped (not all run late), and at most the latest of them ran at the restart
        List<Instant> sorted = new ArrayList<>(records.keySet());
        List<Instant> outage = new ArrayList<>();
        for (int i = 1; i < sorted.size(); i++) {
            Instant before = sorted.get(i - 1);
            Duration step = Duration.between(before, sorted.get(i));
            if (step.equals(Duration.ofSeconds(1))) {
                continue;
            }
            if (step.equals(Duration.ofSeconds(2))
                    && Duration.between(before, killedAt).abs().compareTo(Duration.ofSeconds(2)) <= 0) {
                continue; // the killed scheduler's claimed tick
            }
            outage.add(before);
            outage.add(sorted.get(i));
        }
        assertThat(outage).as("gaps between ticks " + sorted).hasSize(2);
        assertThat(outage.getFirst()).isBetween(killedAt, downAt);
        // three seconds and more down: had the missed ticks all been run late, there would be no gap
        assertThat(Duration.between(outage.get(0), outage.get(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        delete("/functions/sched-two");
    }

    private static HttpResponse<String> create(String function, String body) throws Exception {
        return post("/functions/" + function + "/schedules", "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static void problem(HttpResponse<String> response, int status, String type, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("type").asString()).isEqualTo("urn:cloudfunc:problem:" + type);
        assertThat(problem.path("detail").asString()).contains(detail).doesNotContain("Exception");
    }

    /** The results of the function's SUCCEEDED invocations. */
    private static List<JsonNode> succeeded(String function) {
        try {
            List<JsonNode> results = new ArrayList<>();
            for (String row : SharedPlatform.get().query("SELECT result::text FROM invocations WHERE function_name = '"
                    + function + "' AND status = 'SUCCEEDED'")) {
                results.add(JSON.readTree(row));
            }
            return results;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Invocation records per tick (the tick in each record's event). */
    private static Map<Instant, Integer> ticks(String function) {
        try {
            Map<Instant, Integer> ticks = new TreeMap<>();
            for (String row : SharedPlatform.get().query("SELECT request->>'tick' FROM invocations WHERE "
                    + "function_name = '" + function + "'")) {
                ticks.merge(Instant.parse(row), 1, Integer::sum);
            }
            return ticks;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs per tick, from what each run wrote to its container's stderr. */
    private static Map<Instant, Integer> runs(String function) throws Exception {
        Map<Instant, Integer> runs = new HashMap<>();
        for (String container : Platform.containersOf(function)) {
            for (String line : Platform.docker("logs", container).split("\n")) {
                String[] words = line.strip().split(" ");
                if (words.length == 3 && words[0].equals("cf-run")) {
                    runs.merge(Instant.parse(words[2]), 1, Integer::sum);
                }
            }
        }
        return runs;
    }

    private static void await(Duration limit, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waited " + limit).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    /** Waits until {@code value} has not changed for two seconds (at most 30 s). */
    private static void awaitStable(java.util.function.IntSupplier value) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        int last = value.getAsInt();
        Instant since = Instant.now();
        while (Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            int now = value.getAsInt();
            if (now != last) {
                last = now;
                since = Instant.now();
            } else if (Duration.between(since, Instant.now()).toSeconds() >= 2) {
                return;
            }
        }
    }
}

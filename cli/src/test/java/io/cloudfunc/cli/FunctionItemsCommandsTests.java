package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.cli.StubGateway.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** schedule, trigger, nodes and instances against a stand-in gateway: the requests, the lines, the exit codes. */
class FunctionItemsCommandsTests {

    private static final String NIGHTLY = "{\"name\":\"nightly\",\"cron\":\"*/5 * * * *\",\"timezone\":\"UTC\","
            + "\"paused\":false,\"nextRuns\":[\"2026-12-08T00:00:00Z\",\"2026-12-08T00:05:00Z\"]}";

    private StubGateway gateway;

    @BeforeEach
    void startGateway() throws Exception {
        gateway = StubGateway.start((method, uri) -> switch (method + " " + uri) {
            case "POST /functions/hello/schedules" -> new Answer(201, NIGHTLY);
            case "GET /functions/hello/schedules" -> Answer.ok("[" + NIGHTLY + "]");
            case "POST /functions/hello/schedules/nightly/pause" ->
                    Answer.ok("{\"name\":\"nightly\",\"paused\":true,\"nextRuns\":[]}");
            case "POST /functions/hello/triggers" ->
                    new Answer(201, "{\"name\":\"orders-in\",\"kind\":\"rabbitmq\",\"source\":\"orders\"}");
            case "GET /functions/hello/triggers" -> Answer.ok("[]");
            case "DELETE /functions/hello/schedules/nightly", "DELETE /functions/hello/triggers/orders-in" ->
                    new Answer(204, "");
            case "GET /nodes" -> Answer.ok("[{\"id\":\"n1\",\"state\":\"ACTIVE\",\"capacity\":{\"containers\":1,"
                    + "\"maxContainers\":4,\"memoryUsedMb\":128,\"memoryBudgetMb\":1024,\"freeSlots\":3},"
                    + "\"load\":{\"calls\":2,\"waiting\":0},\"functions\":[{\"name\":\"hello\",\"version\":1,"
                    + "\"idle\":1,\"busy\":0}]}]");
            case "GET /instances" -> Answer.ok("[{\"id\":\"ab12\",\"functionName\":\"hello\",\"version\":1,"
                    + "\"state\":\"IDLE\",\"node\":\"n1\"}]");
            default -> new Answer(404, "{\"status\":404,\"detail\":\"nothing here\"}");
        });
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    @Test
    void scheduleCreatePausePrintsTheNextRuns() {
        CliRun created = gateway.run("schedule", "create", "hello", "--cron", "*/5 * * * *", "--name", "nightly");
        CliRun paused = gateway.run("schedule", "pause", "hello", "nightly");

        assertThat(created.code()).isZero();
        assertThat(created.out()).isEqualTo("Created schedule nightly of hello: '*/5 * * * *' (UTC)\n"
                + "Next runs: 2026-12-08T00:00:00Z, 2026-12-08T00:05:00Z\n");
        assertThat(paused.code()).isZero();
        assertThat(paused.out()).isEqualTo("Paused schedule nightly of hello\nNext runs: none (paused)\n");
        assertThat(gateway.requests).containsExactly("POST /functions/hello/schedules",
                "POST /functions/hello/schedules/nightly/pause");
    }

    @Test
    void scheduleListShowsStateAndNextRunOrJson() {
        CliRun table = gateway.run("schedule", "list", "hello");
        CliRun json = gateway.run("schedule", "ls", "hello", "-o", "json");

        assertThat(table.out().lines().toList()).containsExactly(
                "NAME     CRON         TIMEZONE  STATE   NEXT_RUN              LAST_RUN  LAST_INVOCATION",
                "nightly  */5 * * * *  UTC       active  2026-12-08T00:00:00Z  -         -");
        assertThat(json.out()).startsWith("[ {").contains("\"name\" : \"nightly\"");
    }

    @Test
    void deletePrintsOneLineOrJsonAndChecksNamesFirst() {
        CliRun schedule = gateway.run("schedule", "delete", "hello", "nightly");
        CliRun scheduleJson = gateway.run("schedule", "rm", "hello", "nightly", "-o", "json");
        CliRun trigger = gateway.run("trigger", "delete", "hello", "orders-in");
        CliRun triggerJson = gateway.run("trigger", "delete", "hello", "orders-in", "-o", "json");
        CliRun badSchedule = gateway.run("schedule", "delete", "hello", "Nightly");
        CliRun badFunction = gateway.run("trigger", "delete", "Hello", "Orders");

        assertThat(schedule.out()).isEqualTo("Deleted schedule nightly of hello\n");
        assertThat(scheduleJson.out()).isEqualTo("{\"deleted\":\"nightly\",\"function\":\"hello\"}\n");
        assertThat(trigger.out()).isEqualTo("Deleted trigger orders-in of hello\n");
        assertThat(triggerJson.out()).isEqualTo("{\"deleted\":\"orders-in\"}\n");
        assertThat(badSchedule.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badSchedule.err()).contains("invalid schedule name 'Nightly'");
        assertThat(badFunction.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badFunction.err()).contains("invalid function name 'Hello'");
        assertThat(gateway.requests).hasSize(4);
    }

    @Test
    void triggerCreateAndEmptyList() {
        CliRun created = gateway.run("trigger", "create", "hello", "--rabbitmq", "orders", "--name", "orders-in");
        CliRun list = gateway.run("trigger", "list", "hello");

        assertThat(created.code()).isZero();
        assertThat(created.out()).isEqualTo("Created trigger orders-in of hello: rabbitmq orders\n");
        assertThat(list.out()).isEqualTo("No triggers.\n");
    }

    @Test
    void nodesAndInstancesPrintTables() {
        CliRun nodes = gateway.run("nodes");
        CliRun instances = gateway.run("instances", "list");
        CliRun instancesJson = gateway.run("instances", "-o", "json");

        assertThat(nodes.out().lines().toList()).containsExactly(
                "ID  STATE   CONTAINERS  MEMORY MB  FREE SLOTS  CALLS  WAITING  WARM",
                "n1  ACTIVE  1/4         128/1024   3           2      0        hello:1(1 idle, 0 busy)");
        assertThat(instances.out().lines().toList()).containsExactly(
                "ID    FUNCTION  VERSION  STATE  NODE  IDLE SINCE",
                "ab12  hello     1        IDLE   n1    -");
        assertThat(instancesJson.out()).startsWith("[ {").contains("\"functionName\" : \"hello\"");
    }
}

package io.cloudfunc.cli;

import io.cloudfunc.contracts.function.FunctionNames;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code cloudfunc schedule create|list|pause|resume|delete}: run a function on a cron expression or an interval. */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = "Run a function on a schedule: five-field cron or '@every 30s'. Each tick is an asynchronous "
                + "invocation whose event is the schedule's data; the handler's context.trigger names the schedule "
                + "and the tick.",
        subcommands = {ScheduleCommand.Create.class, ScheduleCommand.ListSchedules.class, ScheduleCommand.Pause.class,
                ScheduleCommand.Resume.class, ScheduleCommand.Delete.class})
final class ScheduleCommand implements Callable<Integer> {

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: create, list, pause, resume or delete");
    }

    /** {@code schedule create NAME --cron EXPR [--timezone ZONE] [--data JSON] [--name S]}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a schedule of function NAME.")
    static final class Create implements Callable<Integer> {

        @ParentCommand
        ScheduleCommand schedule;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "Function.")
        String function;

        @Option(names = "--cron", required = true, paramLabel = "EXPR",
                description = "Five fields (minute hour day-of-month month day-of-week), e.g. '*/5 * * * *', a macro "
                        + "(@hourly, @daily, ...) or '@every 30s' (ms, s, m, h, d).")
        String cron;

        @Option(names = "--timezone", paramLabel = "ZONE",
                description = "Time zone the cron fields are read in, e.g. Europe/Paris (default: UTC).")
        String timezone;

        @Option(names = "--data", paramLabel = "JSON",
                description = "A JSON object: the 'data' of every tick's event (default: {}).")
        String data;

        @Option(names = "--name", paramLabel = "S", description = "The schedule's name (default: generated).")
        String name;

        @Override
        public Integer call() {
            CloudFuncCli.validName(function);
            if (name != null) {
                validSchedule(name);
            }
            ObjectNode request = GatewayClient.JSON.createObjectNode();
            if (name != null) {
                request.put("name", name);
            }
            request.put("cron", cron);
            if (timezone != null) {
                request.put("timezone", timezone);
            }
            if (data != null) {
                request.set("data", object(data));
            }
            var client = schedule.cli.client();
            JsonNode created = client.json(client.postJson("/functions/" + function + "/schedules",
                    GatewayClient.JSON.writeValueAsBytes(request)));
            var out = spec.commandLine().getOut();
            if (schedule.cli.output == CloudFuncCli.OutputFormat.json) {
                Output.json(out, created);
                return ExitCodes.OK;
            }
            out.println("Created schedule " + Output.text(created.get("name")) + " of " + function + ": '"
                    + Output.text(created.get("cron")) + "' (" + Output.text(created.get("timezone")) + ")");
            printNextRuns(out, created);
            return ExitCodes.OK;
        }

        private static JsonNode object(String text) {
            JsonNode node;
            try {
                node = GatewayClient.JSON.readTree(text);
            } catch (JacksonException e) {
                throw new CliException(ExitCodes.USAGE, "--data is not valid JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                throw new CliException(ExitCodes.USAGE, "--data must be a JSON object, e.g. '{\"report\":\"daily\"}'");
            }
            return node;
        }
    }

    /** {@code schedule list NAME}: the function's schedules with their next run. */
    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
            description = "List the schedules of function NAME, with their next and last runs.")
    static final class ListSchedules implements Callable<Integer> {

        @ParentCommand
        ScheduleCommand schedule;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "Function.")
        String function;

        @Override
        public Integer call() {
            CloudFuncCli.validName(function);
            var client = schedule.cli.client();
            JsonNode all = client.json(client.get("/functions/" + function + "/schedules"));
            var out = spec.commandLine().getOut();
            if (schedule.cli.output == CloudFuncCli.OutputFormat.json) {
                Output.json(out, all);
                return ExitCodes.OK;
            }
            List<JsonNode> rows = new ArrayList<>();
            for (JsonNode s : all) {
                ObjectNode row = (ObjectNode) s.deepCopy();
                row.put("state", s.path("paused").asBoolean() ? "paused" : "active");
                row.set("nextRun", s.path("nextRuns").path(0));
                rows.add(row);
            }
            Output.table(out, rows, "No schedules for " + function + ".",
                    new String[] {"NAME", "CRON", "TIMEZONE", "STATE", "NEXT_RUN", "LAST_RUN", "LAST_INVOCATION"},
                    new String[] {"name", "cron", "timezone", "state", "nextRun", "lastRunAt", "lastInvocationId"});
            return ExitCodes.OK;
        }
    }

    /** {@code schedule pause NAME S}. */
    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Pause schedule S of function NAME: no tick runs until it is resumed.")
    static final class Pause implements Callable<Integer> {

        @ParentCommand
        ScheduleCommand schedule;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "Function.")
        String function;

        @Parameters(index = "1", paramLabel = "S", description = "Schedule.")
        String name;

        @Override
        public Integer call() {
            return schedule.change(spec, function, name, "pause", "Paused");
        }
    }

    /** {@code schedule resume NAME S}. */
    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resume schedule S of function NAME from its next tick (missed ticks are not run).")
    static final class Resume implements Callable<Integer> {

        @ParentCommand
        ScheduleCommand schedule;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "Function.")
        String function;

        @Parameters(index = "1", paramLabel = "S", description = "Schedule.")
        String name;

        @Override
        public Integer call() {
            return schedule.change(spec, function, name, "resume", "Resumed");
        }
    }

    /** {@code schedule delete NAME S}. */
    @Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true,
            description = "Delete schedule S of function NAME.")
    static final class Delete implements Callable<Integer> {

        @ParentCommand
        ScheduleCommand schedule;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "Function.")
        String function;

        @Parameters(index = "1", paramLabel = "S", description = "Schedule.")
        String name;

        @Override
        public Integer call() {
            CloudFuncCli.validName(function);
            validSchedule(name);
            var client = schedule.cli.client();
            client.delete("/functions/" + function + "/schedules/" + name);
            var out = spec.commandLine().getOut();
            if (schedule.cli.output == CloudFuncCli.OutputFormat.json) {
                out.println("{\"deleted\":\"" + name + "\",\"function\":\"" + function + "\"}");
            } else {
                out.println("Deleted schedule " + name + " of " + function);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    private Integer change(CommandSpec command, String function, String name, String action, String done) {
        CloudFuncCli.validName(function);
        validSchedule(name);
        var client = cli.client();
        JsonNode changed = client.json(client.postJson("/functions/" + function + "/schedules/" + name + "/"
                + action, new byte[0]));
        var out = command.commandLine().getOut();
        if (cli.output == CloudFuncCli.OutputFormat.json) {
            Output.json(out, changed);
            return ExitCodes.OK;
        }
        out.println(done + " schedule " + name + " of " + function);
        printNextRuns(out, changed);
        return ExitCodes.OK;
    }

    private static void printNextRuns(PrintWriter out, JsonNode view) {
        List<String> runs = new ArrayList<>();
        view.path("nextRuns").forEach(run -> runs.add(Output.text(run)));
        out.println(runs.isEmpty() ? "Next runs: none (paused)" : "Next runs: " + String.join(", ", runs));
        out.flush();
    }

    private static void validSchedule(String name) {
        if (!FunctionNames.isValid(name)) {
            throw new CliException(ExitCodes.USAGE, "invalid schedule name '" + name + "': 1 to 63 lowercase "
                    + "letters, digits, dashes and underscores");
        }
    }
}

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

    /** A command on the schedules of function NAME: {@code schedule ACTION NAME ...}. */
    abstract static class OfFunction implements Callable<Integer> {

        @ParentCommand
        ScheduleCommand schedule;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "Function.")
        String function;

        /** The function's schedules, once its name is checked. */
        FunctionItems schedules() {
            return new FunctionItems(schedule.cli, spec, function, "schedule");
        }
    }

    /** {@code schedule create NAME --cron EXPR [--timezone ZONE] [--data JSON] [--name S]}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a schedule of function NAME.")
    static final class Create extends OfFunction {

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
            var schedules = schedules();
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
            JsonNode created = schedules.create(request);
            return schedules.print(created, out -> {
                out.println("Created schedule " + Output.text(created.get("name")) + " of " + function + ": '"
                        + Output.text(created.get("cron")) + "' (" + Output.text(created.get("timezone")) + ")");
                printNextRuns(out, created);
            });
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
    static final class ListSchedules extends OfFunction {

        @Override
        public Integer call() {
            var schedules = schedules();
            JsonNode all = schedules.list();
            return schedules.print(all, out -> {
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
            });
        }
    }

    /** A command on one schedule: {@code schedule ACTION NAME S}. */
    abstract static class OneSchedule extends OfFunction {

        @Parameters(index = "1", paramLabel = "S", description = "Schedule.")
        String name;

        /** The function's schedules, once the function's and the schedule's names are checked. */
        @Override
        FunctionItems schedules() {
            var schedules = super.schedules();
            validSchedule(name);
            return schedules;
        }

        /** Pauses or resumes the schedule and prints its next runs. */
        Integer change(String action, String done) {
            var schedules = schedules();
            JsonNode changed = schedules.act(name, action);
            return schedules.print(changed, out -> {
                out.println(done + " schedule " + name + " of " + function);
                printNextRuns(out, changed);
            });
        }
    }

    /** {@code schedule pause NAME S}. */
    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Pause schedule S of function NAME: no tick runs until it is resumed.")
    static final class Pause extends OneSchedule {

        @Override
        public Integer call() {
            return change("pause", "Paused");
        }
    }

    /** {@code schedule resume NAME S}. */
    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resume schedule S of function NAME from its next tick (missed ticks are not run).")
    static final class Resume extends OneSchedule {

        @Override
        public Integer call() {
            return change("resume", "Resumed");
        }
    }

    /** {@code schedule delete NAME S}. */
    @Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true,
            description = "Delete schedule S of function NAME.")
    static final class Delete extends OneSchedule {

        @Override
        public Integer call() {
            return schedules().delete(name, "{\"deleted\":\"" + name + "\",\"function\":\"" + function + "\"}");
        }
    }

    private static void printNextRuns(PrintWriter out, JsonNode view) {
        List<String> runs = new ArrayList<>();
        view.path("nextRuns").forEach(run -> runs.add(Output.text(run)));
        out.println(runs.isEmpty() ? "Next runs: none (paused)" : "Next runs: " + String.join(", ", runs));
    }

    private static void validSchedule(String name) {
        if (!FunctionNames.isValid(name)) {
            throw new CliException(ExitCodes.USAGE, "invalid schedule name '" + name + "': 1 to 63 lowercase "
                    + "letters, digits, dashes and underscores");
        }
    }
}

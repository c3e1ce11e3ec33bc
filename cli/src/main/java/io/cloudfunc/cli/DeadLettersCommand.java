package io.cloudfunc.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code cloudfunc dead-letters [NAME]}: asynchronous calls that failed on their last attempt, newest first. */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = "List asynchronous invocations that failed on their last attempt (all functions, or NAME's).")
final class DeadLettersCommand implements Callable<Integer> {

    /** As the history's table, with the function: dead letters of every function are listed together. */
    static final String[] HEADERS = {"ID", "FUNCTION", "VERSION", "STATUS", "ATTEMPT", "ACCEPTED", "FINISHED"};
    static final String[] FIELDS = {"id", "functionName", "version", "status", "attempt", "acceptedAt", "finishedAt"};

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "Only this function's dead letters.")
    String name;

    @Mixin
    PageOptions page;

    @Override
    public Integer call() {
        String path = "/dead-letters?limit=" + page.checkedLimit()
                + (name == null ? "" : "&function=" + CloudFuncCli.validName(name));
        List<JsonNode> rows = InvocationsCommand.pages(cli, path, page.all);
        InvocationsCommand.print(cli, spec, rows, "No dead letters.", HEADERS, FIELDS);
        return ExitCodes.OK;
    }
}

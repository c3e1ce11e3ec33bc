package io.cloudfunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cloudfunc images}: the images functions of runtime image run ({@code upload}, {@code list}). */
@Command(name = "images", mixinStandardHelpOptions = true,
        description = "Upload and list the images functions of runtime image run.",
        subcommands = {ImagesUploadCommand.class, ImagesListCommand.class})
final class ImagesCommand implements Callable<Integer> {

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: upload or list");
    }
}

package io.cloudfunc.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cloudfunc completion bash|zsh}: the shell completion script of every command and option, written by
 * picocli's {@link AutoComplete} from the command model. One script serves both shells: under zsh it loads
 * {@code bashcompinit} itself.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print the shell completion script for bash or zsh.",
        footer = {"", "Install it (new shells then complete commands, options and their values):",
                "  bash: cloudfunc completion bash > ~/.local/share/bash-completion/completions/cloudfunc",
                "  zsh:  echo 'source <(cloudfunc completion zsh)' >> ~/.zshrc",
                "Or for the current shell only: source <(cloudfunc completion bash)"})
final class CompletionCommand implements Callable<Integer> {

    enum Shell { bash, zsh }

    @Parameters(paramLabel = "SHELL", description = "${COMPLETION-CANDIDATES}.")
    Shell shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // the whole command tree: a run builds only the subcommand it runs
        String script = AutoComplete.bash("cloudfunc", CloudFuncCli.commandLine());
        var out = spec.commandLine().getOut();
        out.print(script);
        out.flush();
        return ExitCodes.OK;
    }
}

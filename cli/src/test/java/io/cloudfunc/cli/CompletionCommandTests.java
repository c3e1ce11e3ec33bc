package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionCommandTests {

    @Test
    void printsOneScriptForBashAndZshCoveringEveryCommand() {
        CliRun bash = CliRun.against("http://127.0.0.1:1", "completion", "bash");
        CliRun zsh = CliRun.against("http://127.0.0.1:1", "completion", "zsh");

        assertThat(bash.code()).as(bash.err()).isZero();
        assertThat(bash.out()).contains("complete -F _complete_cloudfunc", "bashcompinit", "deploy", "invoke",
                "dead-letters", "completion", "--data-file");
        assertThat(zsh.out()).isEqualTo(bash.out());
    }

    @Test
    void anUnknownShellIsAUsageError() {
        CliRun run = CliRun.against("http://127.0.0.1:1", "completion", "fish");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("fish").contains("bash, zsh");
    }

    @Test
    void bashCompletesCommandsOptionsAndNestedCommands(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("cloudfunc.bash"),
                CliRun.against("http://127.0.0.1:1", "completion", "bash").out());

        assertThat(complete(script, "cloudfunc inv")).contains("invoke", "invocation", "invocations")
                .doesNotContain("deploy");
        assertThat(complete(script, "cloudfunc invoke --da")).containsExactlyInAnyOrder("--data", "--data-file");
        assertThat(complete(script, "cloudfunc keys ")).contains("create", "list", "revoke");
        assertThat(complete(script, "cloudfunc completion ")).containsExactlyInAnyOrder("bash", "zsh");
    }

    /** What bash offers after {@code line}: the script's completion function run as bash runs it on TAB. */
    private static List<String> complete(Path script, String line) throws IOException, InterruptedException {
        String words = line.endsWith(" ") ? line + "''" : line;
        // compopt only works while readline completes; the figures here are COMPREPLY's
        String program = "source '" + script + "'\ncompopt() { :; }\n"
                + "COMP_LINE=\"" + line + "\"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(" + words + ")\n"
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "_complete_cloudfunc cloudfunc \"${COMP_WORDS[COMP_CWORD]}\"\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process bash = new ProcessBuilder("bash", "--noprofile", "--norc", "-c", program)
                .redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(output).isZero();
        return output.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}

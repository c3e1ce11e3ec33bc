package io.cloudfunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.e2e.DocBlocks.Command;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocBlocksTests {

    @Test
    void splitsAScriptIntoCommandsWithTheirLines() {
        var parsed = DocBlocks.parse(List.of(
                "Intro",
                "```bash",
                "AUTH=\"Authorization: Bearer $(cat key)\"   # a comment",
                "# only a comment",
                "",
                "curl -s -H \"$AUTH\" \\",
                "     http://localhost:8000/functions",
                "curl -d '{",
                "  \"name\": \"hello\"",
                "}' http://localhost:8000/functions",
                "```"));

        assertThat(parsed.mistakes()).isEmpty();
        assertThat(parsed.blocks()).hasSize(1);
        assertThat(parsed.blocks().getFirst().line()).isEqualTo(2);
        assertThat(parsed.blocks().getFirst().commands()).containsExactly(
                new Command(3, "AUTH=\"Authorization: Bearer $(cat key)\"   # a comment"),
                new Command(6, "curl -s -H \"$AUTH\" \\\n     http://localhost:8000/functions"),
                new Command(8, "curl -d '{\n  \"name\": \"hello\"\n}' http://localhost:8000/functions"));
    }

    @Test
    void takesOnlyThePromptedLinesOfATranscript() {
        var parsed = DocBlocks.parse(List.of(
                "```console",
                "$ cloudfunc invoke hello_fn --data '{\"name\":\"Alice\"}' -v",
                "Hello Alice!",
                "# output: a comment line of the transcript",
                "$ cloudfunc list \\",
                "    --output json",
                "NAME  RUNTIME",
                "```"));

        assertThat(parsed.blocks().getFirst().commands()).containsExactly(
                new Command(2, "cloudfunc invoke hello_fn --data '{\"name\":\"Alice\"}' -v"),
                new Command(5, "cloudfunc list \\\n    --output json"));
    }

    @Test
    void readsTheSkipMarkBeforeTheFence() {
        var parsed = DocBlocks.parse(List.of(
                "<!-- doc-test: skip (starts the compose stack) -->",
                "",
                "```sh",
                "bin/cloudfunc-up",
                "```",
                "```sh",
                "cloudfunc list",
                "```"));

        assertThat(parsed.mistakes()).isEmpty();
        assertThat(parsed.blocks()).extracting(DocBlocks.Block::skipReason)
                .containsExactly("starts the compose stack", null);
    }

    @Test
    void reportsMarksAndFencesItCannotTrust() {
        var parsed = DocBlocks.parse(List.of(
                "<!-- doc-test: skip -->",
                "```sh",
                "bin/cloudfunc-up",
                "```",
                "<!-- doc-test: skip (a diagram) -->",
                "```",
                "gateway --> scheduler",
                "```",
                "```",
                "$ cloudfunc list",
                "```",
                "```json",
                "{}"));

        assertThat(parsed.mistakes()).containsExactly(
                "line 1: a doc-test mark must read <!-- doc-test: skip (reason) -->",
                "line 6: a doc-test mark before a block that is not shell (unlabelled)",
                "line 9: an unlabelled block of commands: label it sh, bash or console",
                "line 12: a code block that is never closed");
        assertThat(parsed.blocks()).singleElement().extracting(DocBlocks.Block::skipped).isEqualTo(false);
    }

    @Test
    void knowsWhenBashWouldWaitForMore() {
        assertThat(DocBlocks.complete("echo 'it''s'")).isTrue();
        assertThat(DocBlocks.complete("echo \"$(cloudfunc instances | awk '$2 == \"hello_fn\" {print $1}')\"")).isTrue();
        assertThat(DocBlocks.complete("(cd dir && zip -r /tmp/x.zip .)")).isTrue();
        assertThat(DocBlocks.complete("echo hi   # don't stop at this quote")).isTrue();
        assertThat(DocBlocks.complete("curl -d '{")).isFalse();
        assertThat(DocBlocks.complete("curl \\")).isFalse();
        assertThat(DocBlocks.complete("id=$(cloudfunc invoke hello_fn \\\n  --async")).isFalse();
    }
}

package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchivesTests {

    @TempDir
    Path dir;

    @Test
    void zipsEveryFileWithRelativeSlashSeparatedNames() throws Exception {
        write("function.py", "def handler(e): return 1");
        write("lib/util.py", "X = 1");

        assertThat(entries(Archives.zip(dir))).containsExactly("function.py", "lib/util.py");
    }

    @Test
    void honoursCloudfuncignoreAndTheBuiltInExclusions() throws Exception {
        write("function.py", "def handler(e): return 1");
        write("secret.env", "TOKEN=x");
        write("docs/readme.md", "# docs");
        write("data/keep.json", "{}");
        write("data/cache/big.bin", "xx");
        write("__pycache__/function.cpython-313.pyc", "bytecode");
        write(".git/HEAD", "ref");
        write(".cloudfuncignore", "# comments and blanks are ignored\n\n*.env\ndocs/\ncache/\n");

        assertThat(entries(Archives.zip(dir))).containsExactly("data/keep.json", "function.py");
    }

    @Test
    void sameDirectoryGivesTheSameEntryOrder() throws Exception {
        write("b.py", "b");
        write("a.py", "a");

        assertThat(entries(Archives.zip(dir))).containsExactly("a.py", "b.py");
    }

    @Test
    void refusesAnEmptyDirectory() {
        assertThatThrownBy(() -> Archives.zip(dir))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("nothing to deploy");
    }

    private void write(String relative, String content) throws Exception {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static List<String> entries(byte[] zip) throws Exception {
        List<String> names = new ArrayList<>();
        try (var in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        return names;
    }
}

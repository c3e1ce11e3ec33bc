package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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

    @Test
    void followsSymbolicLinksThatStayInsideTheDirectory() throws Exception {
        write("function.py", "def handler(e): return 1");
        write("src/lib/util.py", "X = 1");
        Files.createSymbolicLink(dir.resolve("lib"), Path.of("src/lib"));
        Files.createSymbolicLink(dir.resolve("alias.py"), Path.of("function.py"));

        assertThat(entries(Archives.zip(dir)))
                .containsExactly("alias.py", "function.py", "lib/util.py", "src/lib/util.py");
    }

    @Test
    void refusesASymbolicLinkThatLeadsOutOfTheDirectory(@TempDir Path elsewhere) throws Exception {
        write("function.py", "def handler(e): return 1");
        Path secret = Files.writeString(elsewhere.resolve("hostname"), "db-host-1");
        Files.createSymbolicLink(dir.resolve("host"), secret);

        assertThatThrownBy(() -> Archives.zip(dir))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageContaining("symbolic link " + dir.resolve("host") + " points outside the function directory")
                .hasMessageNotContaining("\n");

        write(".cloudfuncignore", "host\n");
        assertThat(entries(Archives.zip(dir))).containsExactly("function.py");
    }

    @Test
    void refusesASymbolicLinkedDirectoryOutsideAndABrokenLink(@TempDir Path elsewhere) throws Exception {
        write("function.py", "def handler(e): return 1");
        Files.writeString(elsewhere.resolve("id_rsa"), "key");
        Files.createSymbolicLink(dir.resolve("outside"), elsewhere);

        assertThatThrownBy(() -> Archives.zip(dir)).isInstanceOf(CliException.class)
                .hasMessageContaining("symbolic link " + dir.resolve("outside") + " points outside");

        Files.delete(dir.resolve("outside"));
        Files.createSymbolicLink(dir.resolve("dangling.py"), Path.of("gone.py"));
        assertThatThrownBy(() -> Archives.zip(dir)).isInstanceOf(CliException.class)
                .hasMessageContaining("symbolic link " + dir.resolve("dangling.py") + " points to nothing (gone.py)");
    }

    @Test
    void refusesASymbolicLinkLoop() throws Exception {
        write("sub/function.py", "def handler(e): return 1");
        Files.createSymbolicLink(dir.resolve("sub/up"), Path.of(".."));

        assertThatThrownBy(() -> Archives.zip(dir))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageContaining("symbolic link loop: " + dir.resolve("sub/up"));
    }

    @Test
    void neverWalksIntoAnIgnoredDirectory(@TempDir Path elsewhere) throws Exception {
        write("function.py", "def handler(e): return 1");
        write("build/out.bin", "x");
        // would be refused if the walk went in: proof that the ignored directory is skipped whole
        Files.createSymbolicLink(dir.resolve("build/escape"), elsewhere);
        Files.createSymbolicLink(dir.resolve("build/loop"), Path.of(".."));
        write(".cloudfuncignore", "build/\n");

        assertThat(entries(Archives.zip(dir))).containsExactly("function.py");
    }

    @Test
    void refusesAnArchiveLargerThanTheLimitWithExitCode4() throws Exception {
        byte[] noise = new byte[256 * 1024];
        new Random(42).nextBytes(noise); // incompressible
        write("function.py", "def handler(e): return 1");
        Files.write(dir.resolve("model.bin"), noise);

        assertThatThrownBy(() -> Archives.zip(dir, 64 * 1024))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.REJECTED))
                .hasMessage("archive larger than 65536 bytes; list what to leave out in .cloudfuncignore");
        assertThat(Archives.MAX_ARCHIVE_BYTES).isEqualTo(50L * 1024 * 1024);
        assertThat(Archives.zip(dir, 1024 * 1024)).hasSizeGreaterThan(noise.length);
    }

    @Test
    void aLeadingSlashAnchorsThePatternToTheRoot() throws Exception {
        write("function.py", "def handler(e): return 1");
        write("build.py", "root");
        write("pkg/build.py", "nested");
        write("tmp/a.txt", "root tmp");
        write("pkg/tmp/b.txt", "nested tmp");
        write(".cloudfuncignore", "/build.py\n/tmp/\n");

        assertThat(entries(Archives.zip(dir))).containsExactly("function.py", "pkg/build.py", "pkg/tmp/b.txt");
    }

    @Test
    void aNegatedPatternReincludesAndTheLastMatchWins() throws Exception {
        write("function.py", "def handler(e): return 1");
        write("keep.json", "{}");
        write("drop.json", "{}");
        write("logs/important.log", "x");
        write(".cloudfuncignore", "*.json\n!keep.json\nlogs/\n!logs/important.log\n");

        // a file inside an ignored directory stays out, as with git: that directory is never read
        assertThat(entries(Archives.zip(dir))).containsExactly("function.py", "keep.json");
    }

    @Test
    void doubleStarPatternsAlsoMatchNoDirectoryAtAll() throws Exception {
        write("function.py", "def handler(e): return 1");
        write("notes.txt", "x");
        write("a/b/notes.txt", "x");
        write("a/x.md", "x");
        write("a/b/c/x.md", "x");
        write("a/keep.md", "x");
        write(".cloudfuncignore", "**/notes.txt\na/**/x.md\n");

        assertThat(entries(Archives.zip(dir))).containsExactly("a/keep.md", "function.py");
    }

    @Test
    void anInvalidPatternIsAUsageErrorNamingTheLine() throws Exception {
        write("function.py", "def handler(e): return 1");
        write(".cloudfuncignore", "*.env\n[ab\n");

        assertThatThrownBy(() -> Archives.zip(dir))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageStartingWith(".cloudfuncignore line 2: invalid pattern '[ab' (")
                .hasMessageNotContaining("\n");
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

package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewCommandTests {

    @Test
    void writesAPythonFolderWhoseLocalTestPassesAndWhoseArchiveHoldsOnlyTheFunction(@TempDir Path dir)
            throws Exception {
        CliRun run = CliRun.against("http://127.0.0.1:1", "new", "greeter", "--lang", "python", "--dir",
                dir.toString());

        assertThat(run.code()).as(run.err()).isZero();
        Path folder = dir.resolve("greeter");
        assertThat(run.out()).contains("Created " + folder).contains("cloudfunc deploy " + folder + " --name greeter");
        assertThat(folder).isDirectoryContaining("glob:**/function.py").isDirectoryContaining("glob:**/event.json")
                .isDirectoryContaining("glob:**/test_function.py").isDirectoryContaining("glob:**/README.md");
        assertThat(Files.readString(folder.resolve("README.md"))).contains("# greeter")
                .contains("cloudfunc invoke greeter --data-file event.json").doesNotContain("__NAME__");
        assertThat(exec(folder, "python3", "-m", "unittest")).contains("OK");
        assertThat(entries(Archives.zip(folder))).containsExactly("function.py");
    }

    @Test
    void writesANodeFolderWhoseLocalTestPasses(@TempDir Path dir) throws Exception {
        CliRun run = CliRun.against("http://127.0.0.1:1", "new", "greeter-js", "--lang", "node", "--dir",
                dir.toString());

        assertThat(run.code()).as(run.err()).isZero();
        Path folder = dir.resolve("greeter-js");
        assertThat(run.out()).contains("--runtime node");
        assertThat(exec(folder, "node", "--test")).contains("# pass 2").contains("# fail 0");
        assertThat(entries(Archives.zip(folder))).containsExactly("index.js");
    }

    @Test
    void writesAJavaFolderWhoseLocalTestRunsWithTheJdkAlone(@TempDir Path dir) throws Exception {
        CliRun run = CliRun.against("http://127.0.0.1:1", "new", "greeter-java", "--lang", "java", "--dir",
                dir.toString());

        assertThat(run.code()).as(run.err()).isZero();
        Path folder = dir.resolve("greeter-java");
        assertThat(run.out()).contains("--runtime java --handler Handler::handle");
        String jdk = Path.of(System.getProperty("java.home"), "bin").toString();
        assertThat(exec(folder, jdk + "/java", "HandlerTest.java")).contains("2 tests passed");
        exec(folder, jdk + "/javac", "--release", "25", "-d", "build", "Handler.java");
        assertThat(entries(Archives.zip(folder.resolve("build")))).containsExactly("Handler.class");
    }

    @Test
    void refusesAnExistingFolderAnInvalidNameAndAnUnknownLanguage(@TempDir Path dir) throws Exception {
        Files.createDirectory(dir.resolve("taken"));

        CliRun taken = CliRun.against("http://127.0.0.1:1", "new", "taken", "--lang", "python", "--dir", dir.toString());
        CliRun invalid = CliRun.against("http://127.0.0.1:1", "new", "Bad_Name", "--lang", "node", "--dir",
                dir.toString());
        CliRun cobol = CliRun.against("http://127.0.0.1:1", "new", "x1", "--lang", "cobol", "--dir", dir.toString());

        assertThat(taken.code()).isEqualTo(2);
        assertThat(taken.err()).contains("already exists");
        assertThat(Files.list(dir.resolve("taken"))).isEmpty();
        assertThat(invalid.code()).isEqualTo(2);
        assertThat(invalid.err()).contains("invalid function name 'Bad_Name'");
        assertThat(cobol.code()).isEqualTo(2);
        assertThat(cobol.err()).contains("python, node, java");
        assertThat(dir.resolve("Bad_Name")).doesNotExist();
        assertThat(dir.resolve("x1")).doesNotExist();
    }

    @Test
    void writesHttpFunctionFoldersWhoseLocalTestsPassAndWhoseArchivesHoldOnlyTheHandler(@TempDir Path dir)
            throws Exception {
        String jdk = Path.of(System.getProperty("java.home"), "bin").toString();
        for (String lang : List.of("python", "node", "java")) {
            String name = "web-" + lang;
            CliRun run = CliRun.against("http://127.0.0.1:1", "new", name, "--lang", lang, "--http", "--dir",
                    dir.toString());

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains("(" + lang + ", HTTP)").contains("/fn/" + name + "?name=Alice");
            Path folder = dir.resolve(name);
            assertThat(folder).isDirectoryContaining("glob:**/request.json").isDirectoryContaining("glob:**/README.md")
                    .isDirectoryNotContaining("glob:**/event.json");
            assertThat(Files.readString(folder.resolve("README.md"))).contains("/fn/" + name + "?name=Alice")
                    .doesNotContain("__NAME__");
            assertThat(Files.readString(folder.resolve("request.json"))).contains("\"version\": \"2.0\"");
            switch (lang) {
                case "python" -> {
                    assertThat(exec(folder, "python3", "-m", "unittest")).contains("Ran 3 tests").contains("OK");
                    assertThat(entries(Archives.zip(folder))).containsExactly("function.py");
                }
                case "node" -> {
                    assertThat(exec(folder, "node", "--test")).contains("# pass 3").contains("# fail 0");
                    assertThat(entries(Archives.zip(folder))).containsExactly("index.js");
                }
                default -> {
                    assertThat(exec(folder, jdk + "/java", "HandlerTest.java")).contains("3 tests passed");
                    exec(folder, jdk + "/javac", "--release", "25", "-d", "build", "Handler.java");
                    assertThat(entries(Archives.zip(folder.resolve("build")))).containsExactly("Handler.class");
                }
            }
        }
    }

    private static String exec(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static List<String> entries(byte[] zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (var in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        return names;
    }
}

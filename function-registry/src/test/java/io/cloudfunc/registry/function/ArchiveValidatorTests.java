package io.cloudfunc.registry.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.support.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpStatus;

class ArchiveValidatorTests {

    private static final int ONE_MB = 1024 * 1024;

    private final ArchiveValidator validator = new ArchiveValidator(ONE_MB, 100);

    @Test
    void acceptsArchiveHoldingHandlerFile() {
        ArchiveValidator.ArchiveContents contents = validator.validate(Zips.helloFunction(), "function.py");

        assertThat(contents.files()).containsExactly("function.py");
        assertThat(contents.unpackedBytes()).isEqualTo(Zips.HANDLER_SOURCE.length());
    }

    @Test
    void findsNestedHandlerModuleAndIgnoresDirectoryEntries() {
        byte[] zip = Zips.zip(entries("pkg/", "", "pkg/sub/", "", "pkg/sub/mod.py", Zips.HANDLER_SOURCE,
                "pkg/__init__.py", ""));

        ArchiveValidator.ArchiveContents contents = validator.validate(zip, "pkg/sub/mod.py");

        assertThat(contents.files()).containsExactlyInAnyOrder("pkg/sub/mod.py", "pkg/__init__.py");
        assertThat(contents.entryCount()).isEqualTo(4);
    }

    @Test
    void acceptsEntriesWrittenWithLeadingDotSlash() {
        byte[] zip = Zips.zip(entries("./function.py", Zips.HANDLER_SOURCE));

        assertThat(validator.validate(zip, "function.py").files()).containsExactly("function.py");
    }

    @Test
    void rejectsZipWithPathTraversal() {
        byte[] zip = Zips.zip(entries("function.py", Zips.HANDLER_SOURCE, "lib/../../etc/cron.d/evil", "x"));

        assertInvalidArchive(() -> validator.validate(zip, "function.py"),
                "archive entry 'lib/../../etc/cron.d/evil' escapes the archive root with '..'");
    }

    @Test
    void rejectsZipHoldingAFileAndAFileInsideIt() {
        byte[] zip = Zips.zip(entries("function.py", Zips.HANDLER_SOURCE, "d", "file", "d/e", "inside"));

        assertThatThrownBy(() -> validator.validate(zip, "function.py"))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.type()).isEqualTo(ProblemTypes.INVALID_ARCHIVE);
                    assertThat(problem.getMessage())
                            .isEqualTo("archive entry 'd' is a file, but 'd/e' needs it to be a folder");
                    assertThat(problem.problem().getProperties()).containsEntry("entry", "d");
                });
    }

    @Test
    void rejectsZipHoldingAFileAndAFolderOfTheSameName() {
        byte[] zip = Zips.zip(entries("function.py", Zips.HANDLER_SOURCE, "lib/", "", "./lib", "file"));

        assertInvalidArchive(() -> validator.validate(zip, "function.py"),
                "archive entry 'lib' is a file, but 'lib/' needs it to be a folder");
    }

    @Test
    void rejectsZipWithAbsolutePath() {
        byte[] zip = Zips.zip(entries("function.py", Zips.HANDLER_SOURCE, "/etc/passwd", "x"));

        assertInvalidArchive(() -> validator.validate(zip, "function.py"),
                "archive entry '/etc/passwd' is an absolute path");
    }

    @Test
    void rejectsZipWithWindowsDrivePath() {
        byte[] zip = Zips.zip(entries("function.py", Zips.HANDLER_SOURCE, "C:/Windows/evil.dll", "x"));

        assertInvalidArchive(() -> validator.validate(zip, "function.py"),
                "archive entry 'C:/Windows/evil.dll' is an absolute path");
    }

    @Test
    void rejectsZipWithBackslashTraversal() {
        byte[] zip = Zips.zip(entries("function.py", Zips.HANDLER_SOURCE, "..\\evil.py", "x"));

        assertInvalidArchive(() -> validator.validate(zip, "function.py"),
                "archive entry '..\\evil.py' contains a backslash or NUL character");
    }

    @Test
    void rejectsBytesThatAreNotAZip() {
        byte[] text = "def handler(event, context): pass".getBytes(StandardCharsets.UTF_8);

        assertInvalidArchive(() -> validator.validate(text, "function.py"), "the code archive is not a zip file");
    }

    @Test
    void rejectsEmptyUpload() {
        assertInvalidArchive(() -> validator.validate(new byte[0], "function.py"), "the code archive is empty");
    }

    @Test
    void rejectsZipWithoutEntries() {
        byte[] empty = Zips.zip(Map.of());

        assertInvalidArchive(() -> validator.validate(empty, "function.py"), "the code archive holds no files");
    }

    @Test
    void rejectsTruncatedZip() {
        byte[] zip = Zips.bomb(64 * 1024);
        byte[] truncated = Arrays.copyOf(zip, zip.length / 2);

        assertThatThrownBy(() -> validator.validate(truncated, "function.py"))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.type()).isEqualTo(ProblemTypes.INVALID_ARCHIVE);
                    assertThat(problem.getMessage()).startsWith("the code archive is corrupt: ");
                });
    }

    @Test
    void rejectsZipWithCorruptCompressedData() {
        byte[] zip = Zips.bomb(64 * 1024);
        // Overwrite the middle of the deflated data of the second entry with garbage.
        for (int i = zip.length / 2; i < zip.length / 2 + 40; i++) {
            zip[i] = (byte) 0xFF;
        }

        assertThatThrownBy(() -> validator.validate(zip, "function.py"))
                .isInstanceOfSatisfying(ProblemException.class, problem ->
                        assertThat(problem.type()).isEqualTo(ProblemTypes.INVALID_ARCHIVE));
    }

    @Test
    void rejectsZipBombByCountingInflatedBytes() {
        byte[] bomb = Zips.bomb(10 * ONE_MB);
        assertThat(bomb.length).isLessThan(ONE_MB / 10);

        assertThatThrownBy(() -> validator.validate(bomb, "function.py"))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
                    assertThat(problem.type()).isEqualTo(ProblemTypes.PAYLOAD_TOO_LARGE);
                    assertThat(problem.getMessage())
                            .isEqualTo("the code archive unpacks to more than the limit of 1MB");
                });
    }

    @Test
    void rejectsZipWithTooManyEntries() {
        Map<String, String> many = new LinkedHashMap<>();
        many.put("function.py", Zips.HANDLER_SOURCE);
        for (int i = 0; i < 100; i++) {
            many.put("data/" + i + ".txt", "x");
        }

        assertThatThrownBy(() -> validator.validate(Zips.zip(many), "function.py"))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.type()).isEqualTo(ProblemTypes.PAYLOAD_TOO_LARGE);
                    assertThat(problem.getMessage()).isEqualTo("the code archive has more than 100 entries");
                });
    }

    @Test
    void rejectsZipMissingHandlerFile() {
        byte[] zip = Zips.zip(entries("main.py", Zips.HANDLER_SOURCE));

        assertInvalidArchive(() -> validator.validate(zip, "function.py"),
                "handler file function.py not found in archive");
    }

    @Test
    void rejectsNestedHandlerModuleAtWrongDepth() {
        byte[] zip = Zips.zip(entries("mod.py", Zips.HANDLER_SOURCE));

        assertInvalidArchive(() -> validator.validate(zip, "pkg/mod.py"),
                "handler file pkg/mod.py not found in archive");
    }

    @Test
    void explainsArchiveThatWrapsTheFunctionInAFolder() {
        byte[] zip = Zips.zip(entries("my-function/function.py", Zips.HANDLER_SOURCE));

        assertInvalidArchive(() -> validator.validate(zip, "function.py"),
                "handler file function.py not found in archive "
                        + "(found my-function/function.py: zip the folder's contents, not the folder)");
    }

    @Test
    void handlerDirectoryEntryDoesNotCountAsHandlerFile() {
        byte[] zip = Zips.zip(entries("function.py/", ""));

        assertInvalidArchive(() -> validator.validate(zip, "function.py"),
                "handler file function.py not found in archive");
    }

    @ParameterizedTest
    @CsvSource({
            "python, function.handler, function.py",
            "python, pkg.mod.handler, pkg/mod.py",
            "python, a.b.c.fn, a/b/c.py",
            "node, index.handler, index.js",
            "node, src/app.v2.main, src/app.v2.js",
            "java, com.example.Hello, com/example/Hello.class",
            "java, com.example.Hello::shout, com/example/Hello.class",
            "java, Outer$Inner, Outer$Inner.class"})
    void derivesHandlerFileFromRuntimeAndHandler(String runtime, String handler, String file) {
        assertThat(ArchiveValidator.handlerFile(runtime, handler)).isEqualTo(file);
    }

    @Test
    void acceptsNodeHandlerInAnyOfItsExtensions() {
        for (String file : new String[] {"index.js", "index.mjs", "index.cjs"}) {
            byte[] zip = Zips.zip(entries(file, "export const handler = () => 1;"));

            assertThat(validator.validate(zip, ArchiveValidator.handlerFiles("node", "index.handler"), true).files())
                    .containsExactly(file);
        }
    }

    @Test
    void rejectsNodeArchiveWithoutTheHandlersFileNamingEveryExtension() {
        byte[] zip = Zips.zip(entries("main.js", ""));

        assertInvalidArchive(() -> validator.validate(zip, ArchiveValidator.handlerFiles("node", "index.handler"),
                true), "handler file index.js not found in archive (nor index.mjs, index.cjs)");
    }

    @Test
    void acceptsNodeArchiveWhoseDependenciesAreInNodeModules() {
        byte[] zip = Zips.zip(entries("index.js", "", "package.json", "{\"dependencies\":{\"is-number\":\"7.0.0\"}}",
                "node_modules/is-number/package.json", "{}", "node_modules/is-number/index.js", ""));

        assertThat(validator.validate(zip, ArchiveValidator.handlerFiles("node", "index.handler"), true).files())
                .contains("node_modules/is-number/index.js");
    }

    @Test
    void rejectsNodeArchiveWhosePackageJsonDependenciesAreNotInstalled() {
        byte[] zip = Zips.zip(entries("index.js", "", "package.json",
                "{\"dependencies\":{\"is-number\":\"7.0.0\",\"@scope/pkg\":\"1.0.0\"},\"devDependencies\":{\"x\":\"1\"}}",
                "node_modules/@scope/pkg/package.json", "{}"));

        assertInvalidArchive(() -> validator.validate(zip, ArchiveValidator.handlerFiles("node", "index.handler"),
                true), "package.json depends on is-number but node_modules/ in the archive does not hold it: run npm"
                + " install --omit=dev before zipping, or deploy the folder with the cloudfunc CLI, which does");
    }

    @Test
    void rejectsNodeArchiveWithUnreadablePackageJson() {
        byte[] zip = Zips.zip(entries("index.js", "", "package.json", "{not json"));

        assertThatThrownBy(() -> validator.validate(zip, ArchiveValidator.handlerFiles("node", "index.handler"),
                true)).isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(problem.getMessage())
                .startsWith("package.json is not valid JSON"));
    }

    @Test
    void acceptsJavaJarHoldingTheHandlersClass() {
        byte[] jar = Zips.zip(entries("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n",
                "com/example/Hello.class", "\u00ca\u00fe", "lib/dep.jar", "PK"));

        assertThat(validator.validate(jar, ArchiveValidator.handlerFiles("java", "com.example.Hello::shout"), false)
                .files()).contains("com/example/Hello.class");
        assertInvalidArchive(() -> validator.validate(jar, ArchiveValidator.handlerFiles("java", "com.example.Bye"),
                false), "handler file com/example/Bye.class not found in archive");
    }

    private static Map<String, String> entries(String... namesAndContents) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < namesAndContents.length; i += 2) {
            entries.put(namesAndContents[i], namesAndContents[i + 1]);
        }
        return entries;
    }

    private static void assertInvalidArchive(ThrowingCallable call, String detail) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ProblemException.class, problem -> {
            assertThat(problem.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(problem.type()).isEqualTo(ProblemTypes.INVALID_ARCHIVE);
            assertThat(problem.getMessage()).isEqualTo(detail);
        });
    }
}

package io.cloudfunc.containers.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.cloudfunc.containers.registry.RegistryClient;
import io.cloudfunc.contracts.function.FunctionVersionView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeCacheTests {

    @TempDir
    Path dir;
    private final RegistryClient registry = mock(RegistryClient.class);

    @Test
    void downloadsOnceAndServesTheUnpackedCodeFromDisk() throws Exception {
        byte[] zip = zip(Map.of("function.py", "def handler(e): return 1\n", "pkg/mod.py", "x = 1\n"));
        when(registry.code("hello", 1)).thenReturn(zip);
        CodeCache cache = new CodeCache(dir.resolve("cache"), registry);

        Path first = cache.resolve(version(zip));
        Path second = cache.resolve(version(zip));

        assertThat(second).isEqualTo(first);
        assertThat(first.getFileName().toString()).isEqualTo(CodeCache.sha256(zip));
        assertThat(first.resolve("function.py")).hasContent("def handler(e): return 1");
        assertThat(first.resolve("pkg/mod.py")).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.resolve("function.py"))))
                .isEqualTo("rw-r--r--");
        verify(registry, times(1)).code("hello", 1);
    }

    @Test
    void codeStoredForACheckIsWhereItsVersionFindsItWithoutADownload() throws Exception {
        byte[] zip = zip(Map.of("function.py", "def handler(e): return 1\n"));
        CodeCache cache = new CodeCache(dir.resolve("cache"), registry);

        Path stored = cache.store(zip);
        Path again = cache.store(zip);

        assertThat(again).isEqualTo(stored);
        assertThat(stored.getFileName().toString()).isEqualTo(CodeCache.sha256(zip));
        assertThat(stored.resolve("function.py")).hasContent("def handler(e): return 1");
        assertThat(cache.resolve(version(zip))).isEqualTo(stored);
        verify(registry, times(0)).code("hello", 1);
        assertThatThrownBy(() -> cache.store("not a zip".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(ZipException.class);
        try (var left = Files.list(dir.resolve("cache"))) {
            assertThat(left).as("nothing half-unpacked is left").containsExactly(stored);
        }
    }

    @Test
    void refusesCodeWhoseDigestDoesNotMatch() throws Exception {
        byte[] zip = zip(Map.of("function.py", "x = 1\n"));
        when(registry.code("hello", 1)).thenReturn(zip);
        CodeCache cache = new CodeCache(dir.resolve("cache"), registry);
        FunctionVersionView tampered = new FunctionVersionView("hello", 1, "python", "function.handler", 1000, 128,
                0, Map.of(), 0, 10, 1, "none", null, null, 0, 1000L, "a".repeat(64), zip.length, Instant.EPOCH, java.util.List.of());

        assertThatThrownBy(() -> cache.resolve(tampered))
                .isInstanceOf(CodeUnavailableException.class)
                .hasMessageContaining("does not match its digest");
        assertThat(dir.resolve("cache").resolve("a".repeat(64))).doesNotExist();
    }

    @Test
    void refusesEntriesEscapingTheArchiveRoot() throws Exception {
        byte[] zip = zip(Map.of("../evil.py", "x = 1\n"));

        assertThatThrownBy(() -> CodeCache.unpack(zip, dir.resolve("out")))
                .isInstanceOf(ZipException.class)
                .hasMessageContaining("escapes");
        assertThat(dir.resolve("evil.py")).doesNotExist();
    }

    @Test
    void refusesSomethingThatIsNotAZip() {
        assertThatThrownBy(() -> CodeCache.unpack("not a zip".getBytes(StandardCharsets.UTF_8), dir.resolve("out")))
                .isInstanceOf(ZipException.class);
    }

    @Test
    void installsCodeByHardLinkingOnTheSameFileSystem() throws Exception {
        byte[] zip = zip(Map.of("function.py", "x = 1\n", "data/words.txt", "a b c\n"));
        when(registry.code("hello", 1)).thenReturn(zip);
        CodeCache cache = new CodeCache(dir.resolve("cache"), registry);
        Path cached = cache.resolve(version(zip));
        Files.createDirectories(dir.resolve("container"));

        cache.install(cached, dir.resolve("container/code"));

        Path installed = dir.resolve("container/code/function.py");
        assertThat(installed).hasContent("x = 1");
        assertThat(dir.resolve("container/code/data/words.txt")).hasContent("a b c");
        assertThat(Files.isSameFile(installed, cached.resolve("function.py"))).isTrue();
        assertThat(Files.getAttribute(installed, "unix:nlink")).isEqualTo(2);
    }

    @Test
    void installsAVersionsDependencyBuildBesideItsCodeOnceTheCodesOwnFilesWinning() throws Exception {
        byte[] zip = zip(Map.of("function.py", "import greet\n", "settings.py", "mine = True\n"));
        byte[] build = zip(Map.of("greet/__init__.py", "def hello(): return 'hi'\n", "settings.py", "theirs = 1\n",
                "greet-0.1.dist-info/METADATA", "Name: greet\n"));
        String digest = "ab".repeat(32);
        when(registry.code("hello", 1)).thenReturn(zip);
        when(registry.dependencyArchive(digest)).thenReturn(build);
        CodeCache cache = new CodeCache(dir.resolve("cache"), registry);
        FunctionVersionView plain = version(zip);
        FunctionVersionView withBuild = new FunctionVersionView(plain.functionName(), plain.version(), plain.runtime(),
                plain.handler(), plain.timeoutMs(), plain.memoryMb(), plain.cpuMillis(), plain.idleTtlMs(), plain.env(),
                plain.minInstances(), plain.maxInstances(), plain.concurrency(), plain.network(), plain.ociRuntime(),
                plain.image(), plain.maxRetries(), plain.retryBackoffMs(), plain.codeSha256(), plain.codeSize(),
                plain.createdAt(), plain.secretNames(), digest, 1234L);

        Path merged = cache.resolve(withBuild);
        Path again = cache.resolve(withBuild);

        assertThat(again).isEqualTo(merged);
        assertThat(merged.getFileName().toString()).isEqualTo(CodeCache.sha256(zip) + "+" + digest);
        assertThat(merged.resolve("function.py")).hasContent("import greet");
        assertThat(merged.resolve("settings.py")).as("the archive's own file wins").hasContent("mine = True");
        assertThat(merged.resolve("greet/__init__.py")).hasContent("def hello(): return 'hi'");
        assertThat(merged.resolve("greet-0.1.dist-info/METADATA")).exists();
        assertThat(cache.resolve(plain)).as("the code alone is still there, without the build")
                .isEqualTo(dir.resolve("cache").resolve(CodeCache.sha256(zip)));
        assertThat(cache.resolve(plain).resolve("greet")).doesNotExist();
        verify(registry, times(1)).dependencyArchive(digest);
    }

    private static FunctionVersionView version(byte[] zip) {
        return new FunctionVersionView("hello", 1, "python", "function.handler", 1000, 128, 0, Map.of(), 0, 10, 1, "none", null, null, 0, 1000L,
                CodeCache.sha256(zip).toUpperCase(), zip.length, Instant.EPOCH, java.util.List.of());
    }

    static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> file : new LinkedHashMap<>(files).entrySet()) {
                out.putNextEntry(new ZipEntry(file.getKey()));
                out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}

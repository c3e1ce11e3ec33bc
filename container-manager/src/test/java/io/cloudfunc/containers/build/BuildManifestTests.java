package io.cloudfunc.containers.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudfunc.support.problem.ProblemException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class BuildManifestTests {

    @Test
    void pythonBuildsTheArchivesRequirementsWithSeedDependenciesAdded() throws Exception {
        byte[] zip = zip(Map.of("function.py", "import greet", "requirements.txt", "greet==0.1\n# comment"));

        BuildManifest manifest = BuildManifest.of("python", zip, List.of("other>=1")).orElseThrow();

        assertThat(manifest.tool()).isEqualTo(BuildManifest.Tool.PIP);
        assertThat(new String(manifest.files().get("requirements.txt"), StandardCharsets.UTF_8))
                .isEqualTo("greet==0.1\n# comment\nother>=1\n");
    }

    @Test
    void nothingToBuildWithoutRequirementsOrWithOnlyComments() throws Exception {
        assertThat(BuildManifest.of("python", zip(Map.of("function.py", "x = 1")), List.of())).isEmpty();
        assertThat(BuildManifest.of("python", zip(Map.of("requirements.txt", "# none\n\n")), List.of())).isEmpty();
        assertThat(BuildManifest.of("python", zip(Map.of("lib/requirements.txt", "greet")), List.of()))
                .as("only the top level counts").isEmpty();
        assertThat(BuildManifest.of("java", zip(Map.of("requirements.txt", "greet")), List.of())).isEmpty();
    }

    @Test
    void nodeBuildsAPackageJsonWithoutNodeModulesWithItsLockFile() throws Exception {
        byte[] zip = zip(Map.of("index.js", "", "package.json", "{\"dependencies\":{\"is-number\":\"7.0.0\"}}",
                "package-lock.json", "{}", ".npmrc", "registry=https://mirror.example/"));

        BuildManifest manifest = BuildManifest.of("node", zip, List.of()).orElseThrow();

        assertThat(manifest.tool()).isEqualTo(BuildManifest.Tool.NPM);
        assertThat(manifest.files()).containsOnlyKeys("package.json", "package-lock.json", ".npmrc");
        assertThat(manifest.locked()).isTrue();
    }

    @Test
    void nodeWithNodeModulesShippedOrNoDependenciesHasNothingToBuild() throws Exception {
        assertThat(BuildManifest.of("node", zip(Map.of("package.json", "{\"dependencies\":{\"a\":\"1\"}}",
                "node_modules/a/package.json", "{}")), List.of())).isEmpty();
        assertThat(BuildManifest.of("node", zip(Map.of("package.json", "{\"devDependencies\":{\"a\":\"1\"}}")),
                List.of())).isEmpty();
    }

    @Test
    void nodeSeedDependenciesBecomeAPackageJson() throws Exception {
        BuildManifest manifest = BuildManifest.of("node", zip(Map.of("index.js", "")),
                List.of("is-number@7.0.0", "@scope/pkg")).orElseThrow();

        assertThat(new String(manifest.files().get("package.json"), StandardCharsets.UTF_8))
                .contains("\"is-number\":\"7.0.0\"").contains("\"@scope/pkg\":\"*\"");
        assertThat(manifest.locked()).isFalse();
    }

    @Test
    void refusesDependenciesTheRuntimeCannotTake() throws Exception {
        assertThatThrownBy(() -> BuildManifest.of("java", zip(Map.of("A.class", "")), List.of("x")))
                .isInstanceOf(ProblemException.class).hasMessageContaining("no dependency builds");
        assertThatThrownBy(() -> BuildManifest.of("node", zip(Map.of("package.json", "{}")), List.of("x")))
                .isInstanceOf(ProblemException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> BuildManifest.of("python", zip(Map.of()), List.of("a\nb")))
                .isInstanceOf(ProblemException.class).hasMessageContaining("one line");
    }

    @Test
    void theDigestChangesWithTheFilesTheImageAndTheSettingsOnly() throws Exception {
        BuildManifest manifest = BuildManifest.of("python", zip(Map.of("requirements.txt", "greet")), List.of())
                .orElseThrow();
        BuildManifest same = BuildManifest.of("python", zip(Map.of("requirements.txt", "greet", "function.py", "x")),
                List.of()).orElseThrow();
        BuildManifest other = BuildManifest.of("python", zip(Map.of("requirements.txt", "greet==0.2")), List.of())
                .orElseThrow();

        String digest = manifest.digest("sha256:image", "index");
        assertThat(digest).hasSize(64).isEqualTo(same.digest("sha256:image", "index"));
        assertThat(other.digest("sha256:image", "index")).isNotEqualTo(digest);
        assertThat(manifest.digest("sha256:other-image", "index")).isNotEqualTo(digest);
        assertThat(manifest.digest("sha256:image", "mirror")).isNotEqualTo(digest);
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

package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.cli.StackFile.StackFunction;
import io.cloudfunc.contracts.function.FunctionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployDigestTests {

    @TempDir
    Path dir;

    @Test
    void theCodeDigestFollowsTheArchivedFilesContentsNotTheirTimesNorWhatIsIgnored() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("fn"));
        Files.writeString(folder.resolve("function.py"), "def handler(event):\n    return 1\n");
        Files.writeString(folder.resolve(".cloudfuncignore"), "notes.txt\n");
        String before = DeployDigest.code(folder);

        Files.setLastModifiedTime(folder.resolve("function.py"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        Files.writeString(folder.resolve("notes.txt"), "not deployed");
        String touched = DeployDigest.code(folder);
        Files.writeString(folder.resolve("function.py"), "def handler(event):\n    return 2\n");
        String edited = DeployDigest.code(folder);
        Files.writeString(folder.resolve("function.py"), "def handler(event):\n    return 1\n");
        Files.move(folder.resolve("function.py"), folder.resolve("main.py"));
        String renamed = DeployDigest.code(folder);

        assertThat(before).hasSize(64).isEqualTo(touched);
        assertThat(edited).isNotEqualTo(before);
        assertThat(renamed).isNotEqualTo(before);
    }

    @Test
    void theConfigurationDigestFollowsEverySettingAndTheSecretsWithoutShowingThem() {
        FunctionSpec base = spec(Map.of("TOKEN", "one"), 128);
        String digest = DeployDigest.configuration(base);

        assertThat(DeployDigest.configuration(spec(Map.of("TOKEN", "one"), 128))).isEqualTo(digest);
        assertThat(DeployDigest.configuration(spec(Map.of("TOKEN", "two"), 128))).isNotEqualTo(digest);
        assertThat(DeployDigest.configuration(spec(Map.of("TOKEN", "one"), 256))).isNotEqualTo(digest);
        assertThat(DeployDigest.configuration(spec(null, 128))).isNotEqualTo(digest);
        assertThat(DeployDigest.configuration(base.withDeployDigest("cf1:x:y"))).as("the digest is not a setting")
                .isEqualTo(digest);
    }

    @Test
    void saysWhatChangedBetweenTwoDigests() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("fn"));
        Files.writeString(folder.resolve("function.py"), "def handler(event):\n    return 1\n");
        String now = DeployDigest.of(new StackFunction("fn", 2, folder, spec(null, 128), List.of()));
        String[] parts = now.split(":");

        assertThat(now).startsWith("cf1:").hasSize(4 + 64 + 1 + 64)
                .hasSizeLessThanOrEqualTo(FunctionSpec.DEPLOY_DIGEST_MAX_LENGTH);
        assertThat(DeployDigest.change(now, now)).isNull();
        assertThat(DeployDigest.change(null, now)).isEqualTo("last deployed without this file (or changed since by "
                + "hand)");
        assertThat(DeployDigest.change("cf1:" + "0".repeat(64) + ":" + parts[2], now)).isEqualTo("code changed");
        assertThat(DeployDigest.change("cf1:" + parts[1] + ":" + "0".repeat(64), now))
                .isEqualTo("configuration changed");
        assertThat(DeployDigest.change("cf1:" + "0".repeat(64) + ":" + "0".repeat(64), now))
                .isEqualTo("code and configuration changed");
    }

    private static FunctionSpec spec(Map<String, String> secrets, int memoryMb) {
        return new FunctionSpec("fn", "python", null, null, memoryMb, null, null, Map.of("A", "1"), null, null, null,
                null, null, null, null, null, secrets, null, null);
    }
}

package io.cloudfunc.containers.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngineMessagesTests {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // what Docker 20.10 answers to docker load of a tar without manifest, or with one naming a missing file
            "open /var/lib/docker/tmp/docker-import-3347169247/repositories: no such file or directory"
                    + "|open repositories: no such file or directory",
            "open /var/lib/docker/tmp/docker-import-770781479/missing.json: no such file or directory"
                    + "|open missing.json: no such file or directory",
            "failed to register layer: open /var/lib/docker/overlay2/abc/diff/x (deleted); retry"
                    + "|failed to register layer: open x (deleted); retry",
            "Error processing tar file(exit status 1): archive/tar: invalid tar header"
                    + "|Error processing tar file(exit status 1): archive/tar: invalid tar header",
            "invalid reference format: myorg/resize:1.0 and registry.example/a/b:2"
                    + "|invalid reference format: myorg/resize:1.0 and registry.example/a/b:2",
            "see https://docs.docker.com/engine/reference|see https://docs.docker.com/engine/reference"})
    void keepsOnlyTheLastPartOfTheEnginesOwnPaths(String message, String expected) {
        assertThat(EngineMessages.withoutPaths(message)).isEqualTo(expected)
                .doesNotContain("/var/lib/docker").doesNotContain("docker-import");
    }
}

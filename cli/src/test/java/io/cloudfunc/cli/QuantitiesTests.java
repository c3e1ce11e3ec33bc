package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QuantitiesTests {

    @Test
    void parsesDurationsWithUnitsAndBareSeconds() {
        assertThat(Quantities.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Quantities.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Quantities.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Quantities.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Quantities.duration("45")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void parsesMemorySizesInMebibytes() {
        assertThat(Quantities.megabytes("128m")).isEqualTo(128);
        assertThat(Quantities.megabytes("1g")).isEqualTo(1024);
        assertThat(Quantities.megabytes("256")).isEqualTo(256);
        assertThat(Quantities.megabytes("512Mi")).isEqualTo(512);
    }

    @Test
    void rejectsGarbageWithAUsageError() {
        assertThatThrownBy(() -> Quantities.duration("soon"))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE));
        assertThatThrownBy(() -> Quantities.megabytes("lots"))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE));
    }

    @Test
    void derivesAValidFunctionNameFromTheDirectory() {
        assertThat(DeployCommand.defaultName(Path.of("/tmp/hello_fn"))).isEqualTo("hello_fn");
        assertThat(DeployCommand.defaultName(Path.of("My_Func"))).isEqualTo("my_func");
        assertThat(DeployCommand.defaultName(Path.of("/tmp/fn.v2"))).isEqualTo("fn-v2");
        assertThat(DeployCommand.defaultName(Path.of("/tmp/hello-fn.jar"))).isEqualTo("hello-fn");
    }

    @Test
    void mapsHttpStatusesToDocumentedExitCodes() {
        assertThat(ExitCodes.forStatus(404)).isEqualTo(3);
        assertThat(ExitCodes.forStatus(400)).isEqualTo(4);
        assertThat(ExitCodes.forStatus(413)).isEqualTo(4);
        assertThat(ExitCodes.forStatus(502)).isEqualTo(5);
        assertThat(ExitCodes.forStatus(504)).isEqualTo(6);
        assertThat(ExitCodes.forStatus(503)).isEqualTo(7);
    }
}

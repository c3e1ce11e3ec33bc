package io.cloudfunc.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class BenchOptionsTests {

    @Test
    void parsesWhatBenchRunPasses() {
        BenchOptions options = BenchOptions.parse(new String[] {"--gateway", "http://127.0.0.1:1234", "--node", "bench-1",
                "--results", "/tmp/r", "--service", "scheduler=42", "--smoke", "--scenarios", "warm,baselines",
                "--api-key", "k", "--rabbitmq-pid", "2978", "--clock-ticks", "100", "--cli", "/w/cli/target/cloudfunc",
                "--cli-baseline", "/tmp/before/cloudfunc"});

        assertThat(options.gateway().getPort()).isEqualTo(1234);
        assertThat(options.services()).containsEntry("scheduler", 42L);
        assertThat(options.results()).isEqualTo(Path.of("/tmp/r"));
        assertThat(options.smoke()).isTrue();
        assertThat(options.apiKey()).isEqualTo("k");
        assertThat(options.runs("warm")).isTrue();
        assertThat(options.runs("cold")).isFalse();
        assertThat(options.rabbitmqPid()).isEqualTo(2978L);
        assertThat(options.clockTicks()).isEqualTo(100L);
        assertThat(options.cli()).isEqualTo(Path.of("/w/cli/target/cloudfunc"));
        assertThat(options.cliBaseline()).isEqualTo(Path.of("/tmp/before/cloudfunc"));
    }

    @Test
    void findsRabbitMqByCommAndAssumes100TicksWhenNotTold() {
        BenchOptions options = BenchOptions.parse(new String[] {"--gateway", "http://x", "--node", "n", "--results", "/tmp/r"});

        assertThat(options.rabbitmqPid()).isNull();
        assertThat(options.clockTicks()).isEqualTo(100L);
        assertThat(options.runs("cpu")).isTrue();
        assertThat(options.runs("cli")).isTrue();
        assertThat(options.cli()).isNull();
    }

    @Test
    void rejectsAnUnknownScenario() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--gateway", "http://x", "--node", "n", "--results",
                "/tmp/r", "--scenarios", "warm,fast"})).hasMessageContaining("unknown scenario 'fast'");
    }
}

package io.cloudfunc.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCpuTests {

    /** A stat line as the kernel writes it: utime field 14, stime 15, starttime 22. */
    private static String stat(long pid, String comm, long utime, long stime, long startTime) {
        return pid + " (" + comm + ") S 1 " + pid + " " + pid + " 0 -1 4194560 100 0 0 0 " + utime + " " + stime
                + " 0 0 20 0 4 0 " + startTime + " 123456789 2048 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
    }

    @Test
    void parsesTheFieldsAfterTheLastParenthesis() {
        ProcessCpu.Stat stat = ProcessCpu.parse(stat(1234, "my (odd) name", 250, 40, 98765));

        assertThat(stat.pid()).isEqualTo(1234);
        assertThat(stat.comm()).isEqualTo("my (odd) name");
        assertThat(stat.utime()).isEqualTo(250);
        assertThat(stat.stime()).isEqualTo(40);
        assertThat(stat.startTime()).isEqualTo(98765);
        assertThat(stat.ticks()).isEqualTo(290);
    }

    @Test
    void parsesACommWithAClosingParenthesisAndSpacesAtTheEnd() {
        ProcessCpu.Stat stat = ProcessCpu.parse(stat(7, ") S 1 2 3 ) ", 11, 22, 33));

        assertThat(stat.comm()).isEqualTo(") S 1 2 3 ) ");
        assertThat(stat.ticks()).isEqualTo(33);
        assertThat(stat.startTime()).isEqualTo(33);
    }

    @Test
    void parsesARealLineOfThisProcess() throws IOException {
        ProcessCpu.Stat stat = ProcessCpu.parse(Files.readString(Path.of("/proc/self/stat")).strip());

        assertThat(stat.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(stat.ticks()).isPositive(); // a JVM running tests has spent more than 10 ms
    }

    @Test
    void rejectsWhatIsNotAStatLine() {
        assertThatThrownBy(() -> ProcessCpu.parse("hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessCpu.parse("1 (x) S 1 2")).hasMessageContaining("too few fields");
    }

    @Test
    void dividesTicksIntoMillisecondsPerCall() {
        // 150 ticks of 10 ms = 1.5 s of CPU over 3,000 calls = 0.5 ms a call
        assertThat(ProcessCpu.msPerCall(150, 100, 3_000)).isCloseTo(0.5, within(1e-12));
        // 1,000 ticks a second (CLK_TCK 1000): 600 ticks = 0.6 s over 1,000 calls
        assertThat(ProcessCpu.msPerCall(600, 1_000, 1_000)).isCloseTo(0.6, within(1e-12));
        assertThat(ProcessCpu.msPerCall(0, 100, 10)).isZero();
        assertThat(ProcessCpu.msPerCall(10, 100, 0)).isNaN();
    }

    @Test
    void sumsEachGroupBetweenTwoSnapshots(@TempDir Path proc) throws IOException {
        write(proc, stat(10, "java", 100, 50, 1));      // a service
        write(proc, stat(20, "beam.smp", 400, 100, 2)); // RabbitMQ
        write(proc, stat(30, "postgres", 10, 5, 3));    // a pooled backend
        write(proc, stat(31, "postgres", 7, 3, 3));     // exits during the window
        write(proc, stat(40, "postgres", 1, 1, 4));     // the pid is reused during the window
        write(proc, stat(50, "bash", 999, 999, 5));     // not counted
        ProcessCpu cpu = new ProcessCpu(proc, List.of(ProcessCpu.Group.pids("scheduler", Set.of(10L)),
                ProcessCpu.Group.comm("rabbitmq", "beam.smp"), ProcessCpu.Group.comm("postgresql", "postgres")));

        ProcessCpu.Snapshot start = cpu.snapshot();
        write(proc, stat(10, "java", 130, 60, 1));       // +40
        write(proc, stat(20, "beam.smp", 420, 110, 2));  // +30
        write(proc, stat(30, "postgres", 15, 7, 3));     // +7
        Files.delete(proc.resolve("31").resolve("stat"));
        write(proc, stat(40, "postgres", 2, 1, 900));    // a new process: all of its 3 ticks
        write(proc, stat(60, "postgres", 4, 1, 901));    // a new backend: all of its 5 ticks
        write(proc, stat(50, "bash", 5_000, 5_000, 5));
        var delta = ProcessCpu.delta(start, cpu.snapshot());

        assertThat(delta).containsExactly(java.util.Map.entry("scheduler", 40L), java.util.Map.entry("rabbitmq", 30L),
                java.util.Map.entry("postgresql", 15L));
        long total = delta.values().stream().mapToLong(Long::longValue).sum();
        assertThat(ProcessCpu.msPerCall(total, 100, 1_700)).isCloseTo(0.5, within(1e-12)); // 850 ms / 1,700 calls
    }

    @Test
    void aServiceThatIsGoneCountsNothing(@TempDir Path proc) {
        ProcessCpu cpu = new ProcessCpu(proc, List.of(ProcessCpu.Group.pids("api-gateway", Set.of(99L))));

        assertThat(ProcessCpu.delta(cpu.snapshot(), cpu.snapshot())).containsEntry("api-gateway", 0L);
    }

    @Test
    void namesTheSplitInCamelCase() {
        assertThat(Scenarios.camel("api-gateway")).isEqualTo("apiGateway");
        assertThat(Scenarios.camel("function-registry")).isEqualTo("functionRegistry");
        assertThat(Scenarios.camel("rabbitmq")).isEqualTo("rabbitmq");
    }

    private static void write(Path proc, String line) throws IOException {
        Path dir = proc.resolve(line.substring(0, line.indexOf(' ')));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("stat"), line + "\n");
    }
}

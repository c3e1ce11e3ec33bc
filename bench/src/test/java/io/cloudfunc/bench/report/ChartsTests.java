package io.cloudfunc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cloudfunc.bench.load.Latencies;

class ChartsTests {

    @TempDir
    Path dir;

    @Test
    void drawsOneBarPerMeasuredRowIntoAPng() throws Exception {
        System.setProperty("java.awt.headless", "true");
        var rows = List.of(
                Row.of("a", "warm", Row.CLOUDFUNC, List.of(new Latencies(10, 0, 1, 10, 3, 4, 9, 10, 3)), null),
                Row.of("b", "docker run", "docker run", List.of(new Latencies(10, 0, 1, 3, 300, 320, 350, 360, 310)), null),
                Row.notMeasured("c", "async", Row.CLOUDFUNC, "missing"));
        Path file = dir.resolve("latency.png");

        Charts.latencyBars("title", rows, file);

        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(1000);
        assertThat(image.getHeight()).isEqualTo(50 + 50 + 10 + 2 * (22 + 8));
    }

    @Test
    void drawsTheRateSweep() throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path file = dir.resolve("throughput.png");

        Charts.rateSweep("title", List.of(new double[] {100, 4}, new double[] {200, 80}), 50, file);

        assertThat(ImageIO.read(file.toFile()).getWidth()).isEqualTo(900);
    }

    @Test
    void logAxisPlacesDecadesEvenly() {
        assertThat(Charts.logPosition(1, 0.01, 10_000)).isEqualTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Charts.logPosition(0.001, 0.01, 10_000)).isZero();
    }
}

package io.cloudfunc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class SpreadTests {

    @Test
    void medianOfAnOddNumberOfRepetitionsIsTheMiddleOne() {
        Spread spread = Spread.of(List.of(3.0, 1.0, 2.0));
        assertThat(spread).isEqualTo(new Spread(2.0, 1.0, 3.0, 3));
        assertThat(spread.format("%.1f")).isEqualTo("2.0 (1.0–3.0)");
    }

    @Test
    void medianOfAnEvenNumberIsTheMeanOfTheMiddleTwo() {
        assertThat(Spread.of(List.of(4.0, 1.0, 2.0, 10.0)).median()).isEqualTo(3.0);
    }

    @Test
    void ignoresMissingAndNonFiniteValues() {
        assertThat(Spread.of(Arrays.asList(Double.NaN, null, 5.0))).isEqualTo(new Spread(5.0, 5.0, 5.0, 1));
        assertThat(Spread.of(List.of(Double.NaN))).isNull();
    }

    @Test
    void oneRepetitionShowsNoRange() {
        assertThat(Spread.single(7.25).format("%.2f")).isEqualTo("7.25");
    }
}

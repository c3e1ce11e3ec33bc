package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTests {

    private static final List<String> NAMES = List.of("hello_fn", "hello-secret", "image-resize", "thumb", "db");

    @Test
    void suggestsTheNameOneOrTwoEditsAway() {
        assertThat(Suggestions.closest("helo_fn", NAMES)).contains("hello_fn");
        assertThat(Suggestions.closest("hlelo_fn", NAMES)).contains("hello_fn");
        assertThat(Suggestions.closest("hello-fn", NAMES)).contains("hello_fn");
        assertThat(Suggestions.closest("imgae-resize", NAMES)).contains("image-resize");
        assertThat(Suggestions.closest("thunb", NAMES)).contains("thumb");
    }

    @Test
    void suggestsNothingForAFarOrShortUnrelatedName() {
        assertThat(Suggestions.closest("payments", NAMES)).isEmpty();
        assertThat(Suggestions.closest("ab", NAMES)).isEmpty();
        assertThat(Suggestions.closest("hello", NAMES)).isEmpty();
        assertThat(Suggestions.closest("hello_fn", List.of("hello_fn"))).isEmpty();
    }

    @Test
    void countsASwapOfNeighboursAsOneEdit() {
        assertThat(Suggestions.distance("ab", "ba")).isEqualTo(1);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    }
}

package io.cloudfunc.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NodePlacementTests {

    private static final List<String> FUNCTIONS = IntStream.range(0, 1000).mapToObj(i -> "fn-" + i).toList();

    @Test
    void placesEveryCallOnTheOnlyNode() {
        assertThat(NodePlacement.place("hello", List.of("local"))).isEqualTo("local");
    }

    @Test
    void refusesToPlaceWithoutNodes() {
        assertThatThrownBy(() -> NodePlacement.place("hello", List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sendsAFunctionsCallsToTheSameNodeWhateverTheOrderOfTheNodes() {
        List<String> nodes = List.of("a", "b", "c");
        for (String function : FUNCTIONS.subList(0, 50)) {
            assertThat(NodePlacement.place(function, nodes))
                    .isEqualTo(NodePlacement.place(function, List.of("c", "a", "b")));
        }
    }

    @Test
    void spreadsFunctionsOverTheNodes() {
        Map<String, Integer> counts = new HashMap<>();
        FUNCTIONS.forEach(f -> counts.merge(NodePlacement.place(f, List.of("a", "b", "c")), 1, Integer::sum));
        assertThat(counts).hasSize(3);
        assertThat(counts.values()).allSatisfy(count -> assertThat(count).isBetween(250, 420));
    }

    @Test
    void aNodeLeavingMovesOnlyTheFunctionsItHad() {
        List<String> before = List.of("a", "b", "c");
        List<String> after = List.of("a", "c");
        List<String> moved = new ArrayList<>();
        for (String function : FUNCTIONS) {
            String was = NodePlacement.place(function, before);
            String now = NodePlacement.place(function, after);
            if (!was.equals(now)) {
                moved.add(function);
                assertThat(was).isEqualTo("b");
            }
        }
        assertThat(moved).isNotEmpty();
    }
}

package io.cloudfunc.gateway.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cloudfunc.support.problem.ProblemException;
import org.junit.jupiter.api.Test;

/** The registry paths of a function's items, and the 400 for a bad name before anything is sent. */
class FunctionItemsRelayTests {

    private final FunctionItemsRelay triggers = new FunctionItemsRelay(null, "trigger",
            "a trigger name is 1 to 63 lowercase letters, digits, dashes and underscores.");

    @Test
    void buildsTheRegistryPathsOfTheItems() {
        assertThat(triggers.path("hello")).isEqualTo("/internal/functions/hello/triggers");
        assertThat(triggers.path("hello", "orders-in")).isEqualTo("/internal/functions/hello/triggers/orders-in");
    }

    @Test
    void refusesABadItemNameWithTheItemInAField() {
        var bad = catchThrowableOfType(ProblemException.class, () -> triggers.path("hello", "Orders"));

        assertThat(bad.problem().getStatus()).isEqualTo(400);
        assertThat(bad.problem().getDetail()).isEqualTo("Invalid trigger name 'Orders': a trigger name is 1 to 63 "
                + "lowercase letters, digits, dashes and underscores.");
        assertThat(bad.problem().getProperties()).containsEntry("trigger", "Orders");
    }

    @Test
    void refusesABadFunctionName() {
        var bad = catchThrowableOfType(ProblemException.class, () -> triggers.path("Hello", "orders-in"));

        assertThat(bad.problem().getStatus()).isEqualTo(400);
        assertThat(bad.problem().getDetail()).contains("Hello");
    }
}

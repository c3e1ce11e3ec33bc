package io.cloudfunc.contracts.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionVersionViewTests {

    private static final FunctionVersionView VERSION = new FunctionVersionView("f", 2, "image", null, 30_000, 128,
            250, 60_000, Map.of("A", "1"), 0, 5, 1, null, null, "img:1", 0, 0, "sha", 22, Instant.EPOCH,
            List.of());

    @Test
    void aCallsShorterTimeoutReplacesOnlyTheTimeout() {
        FunctionVersionView capped = VERSION.withTimeoutAtMost(1_500L);

        assertThat(capped.timeoutMs()).isEqualTo(1_500);
        assertThat(capped).usingRecursiveComparison().ignoringFields("timeoutMs").isEqualTo(VERSION);
    }

    @Test
    void aCallCannotLengthenItsFunctionsTimeout() {
        assertThat(VERSION.withTimeoutAtMost(60_000L)).isSameAs(VERSION);
        assertThat(VERSION.withTimeoutAtMost(null)).isSameAs(VERSION);
        assertThat(VERSION.withTimeoutAtMost(0L)).isSameAs(VERSION);
    }
}

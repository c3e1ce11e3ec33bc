package io.cloudfunc.gateway.invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.support.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdempotentInvocationsTests {

    private static final byte[] EVENT = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void takesAKeyBareOrQuoted() {
        assertThat(IdempotentInvocations.checked("order-42")).isEqualTo("order-42");
        assertThat(IdempotentInvocations.checked("\"order-42\"")).isEqualTo("order-42");
        assertThat(IdempotentInvocations.checked("x".repeat(255))).hasSize(255);
    }

    @Test
    void refusesAnEmptyTooLongOrUnprintableKey() {
        for (String bad : new String[] {"", "\"\"", "x".repeat(256), "caf\u00e9", "a\tb"}) {
            assertThatThrownBy(() -> IdempotentInvocations.checked(bad)).as(bad)
                    .isInstanceOfSatisfying(ProblemException.class, e -> {
                        assertThat(e.type()).isEqualTo(ProblemTypes.INVALID_REQUEST);
                        assertThat(e.problem().getDetail()).contains("Idempotency-Key");
                    });
        }
    }

    @Test
    void theFingerprintTellsEveryPartOfTheRequestApart() {
        String base = IdempotentInvocations.fingerprint("hello", false, null, EVENT);

        assertThat(IdempotentInvocations.fingerprint("hello", false, null, EVENT.clone())).isEqualTo(base);
        assertThat(IdempotentInvocations.fingerprint("hello:2", false, null, EVENT)).isNotEqualTo(base);
        assertThat(IdempotentInvocations.fingerprint("hello", true, null, EVENT)).isNotEqualTo(base);
        assertThat(IdempotentInvocations.fingerprint("hello", true, "http://cb.example/x", EVENT))
                .isNotEqualTo(IdempotentInvocations.fingerprint("hello", true, null, EVENT));
        assertThat(IdempotentInvocations.fingerprint("hello", false, null, "{\"n\":2}".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(base);
    }
}

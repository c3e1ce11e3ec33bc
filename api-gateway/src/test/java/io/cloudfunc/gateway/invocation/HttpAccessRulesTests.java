package io.cloudfunc.gateway.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.function.HttpAccess;
import io.cloudfunc.gateway.invocation.HttpAccessRules.Decision;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HttpAccessRulesTests {

    /** GitHub's documented example of a webhook signature. */
    private static final String SECRET = "It's a Secret to Everybody";
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void acceptsGitHubsExampleSignature() {
        assertThat(HttpAccessRules.isSigned(BODY, SIGNATURE, SECRET)).isTrue();
    }

    @Test
    void refusesAnotherBodyAnotherSecretAndMalformedSignatures() {
        assertThat(HttpAccessRules.isSigned("Hello, World?".getBytes(StandardCharsets.UTF_8), SIGNATURE, SECRET))
                .isFalse();
        assertThat(HttpAccessRules.isSigned(BODY, SIGNATURE, "another secret")).isFalse();
        assertThat(HttpAccessRules.isSigned(BODY, SIGNATURE.substring("sha256=".length()), SECRET)).isFalse();
        assertThat(HttpAccessRules.isSigned(BODY, "sha256=zz", SECRET)).isFalse();
        assertThat(HttpAccessRules.isSigned(BODY, "sha1=" + SIGNATURE.substring(7), SECRET)).isFalse();
        assertThat(HttpAccessRules.isSigned(BODY, null, SECRET)).isFalse();
    }

    @Test
    void decidesByTheFunctionsModeAndTreatsAnUnknownFunctionAsKeyOnly() {
        var rules = new HttpAccessRules(name -> switch (name) {
            case "open" -> new HttpAccess(HttpAccess.PUBLIC, null);
            case "hook" -> new HttpAccess(HttpAccess.WEBHOOK, SECRET);
            case "keyed" -> new HttpAccess(HttpAccess.KEY, null);
            default -> null;
        }, 0, System::nanoTime);

        assertThat(rules.withoutKey("open", BODY, null)).isEqualTo(Decision.ALLOWED);
        assertThat(rules.withoutKey("hook", BODY, SIGNATURE)).isEqualTo(Decision.ALLOWED);
        assertThat(rules.withoutKey("hook", BODY, null)).isEqualTo(Decision.BAD_SIGNATURE);
        assertThat(rules.withoutKey("keyed", BODY, SIGNATURE)).isEqualTo(Decision.NEEDS_KEY);
        assertThat(rules.withoutKey("nobody", BODY, null)).isEqualTo(Decision.NEEDS_KEY);
    }

    @Test
    void remembersAFunctionsModeForTheCacheTimeOnly() {
        var asked = new AtomicInteger();
        var now = new AtomicLong();
        var rules = new HttpAccessRules(name -> {
            asked.incrementAndGet();
            return new HttpAccess(HttpAccess.PUBLIC, null);
        }, 5_000, now::get);

        rules.withoutKey("open", BODY, null);
        now.set(4_999);
        rules.withoutKey("open", BODY, null);
        assertThat(asked).hasValue(1);
        now.set(5_000);
        rules.withoutKey("open", BODY, null);
        assertThat(asked).hasValue(2);
    }
}

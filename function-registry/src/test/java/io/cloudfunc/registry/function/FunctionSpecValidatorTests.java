package io.cloudfunc.registry.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.registry.TestProperties;
import io.cloudfunc.support.problem.ProblemException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FunctionSpecValidatorTests {

    private final FunctionSpecValidator validator = new FunctionSpecValidator(TestProperties.registry());

    @Test
    void fillsInPlatformDefaults() {
        FunctionConfig config = validator.validate(spec("hello"));

        assertThat(config).isEqualTo(new FunctionConfig("hello", "python", "function.handler", 30_000, 128, 60_000,
                Map.of()));
    }

    @Test
    void keepsExplicitSettingsAndSortsEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ZED", "1");
        env.put("_private", "2");
        env.put("API_KEY", "3");

        FunctionConfig config = validator.validate(
                new FunctionSpec("hello", "python", "pkg.mod.run", 1_000L, 512, 0L, env));

        assertThat(config.handler()).isEqualTo("pkg.mod.run");
        assertThat(config.timeoutMs()).isEqualTo(1_000);
        assertThat(config.memoryMb()).isEqualTo(512);
        assertThat(config.idleTtlMs()).isZero();
        assertThat(config.env().keySet()).containsExactly("API_KEY", "ZED", "_private");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "hello", "hello-world-2", "0abc",
            "abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefgh"})
    void acceptsNamesFollowingTheRule(String name) {
        assertThat(validator.validate(spec(name)).name()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Hello", "hello_world", "-hello", "hello-", "hello.world", "héllo", "a b",
            "abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghi"})
    void rejectsNamesBreakingTheRule(String name) {
        assertProblem(() -> validator.validate(spec(name)), ProblemTypes.INVALID_REQUEST,
                "invalid function name '" + name + "'");
    }

    @Test
    void rejectsMissingName() {
        assertProblem(() -> validator.validate(spec(null)), ProblemTypes.INVALID_REQUEST, "invalid function name");
    }

    @Test
    void rejectsRuntimeNotConfigured() {
        FunctionSpec spec = new FunctionSpec("hello", "ruby", null, null, null, null, null);

        assertProblem(() -> validator.validate(spec), ProblemTypes.UNSUPPORTED_RUNTIME,
                "runtime 'ruby' is not supported; supported runtimes: python");
    }

    @ParameterizedTest
    @ValueSource(strings = {"handler", "function.", ".handler", "pkg/mod.handler", "pkg..handler", "1mod.handler"})
    void rejectsMalformedHandler(String handler) {
        FunctionSpec spec = new FunctionSpec("hello", null, handler, null, null, null, null);

        assertProblem(() -> validator.validate(spec), ProblemTypes.INVALID_REQUEST, "invalid handler");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1ABC", "A-B", "A B", "A=B", ""})
    void rejectsInvalidEnvNames(String key) {
        FunctionSpec spec = new FunctionSpec("hello", null, null, null, null, null, Map.of(key, "v"));

        assertProblem(() -> validator.validate(spec), ProblemTypes.INVALID_REQUEST,
                "invalid environment variable name '" + key + "'");
    }

    @Test
    void rejectsTimeoutAboveFifteenMinutes() {
        FunctionSpec spec = new FunctionSpec("hello", null, null, 900_001L, null, null, null);

        assertProblem(() -> validator.validate(spec), ProblemTypes.INVALID_REQUEST,
                "timeoutMs must be between 1 and 900000, got 900001");
    }

    @Test
    void rejectsZeroTimeout() {
        FunctionSpec spec = new FunctionSpec("hello", null, null, 0L, null, null, null);

        assertProblem(() -> validator.validate(spec), ProblemTypes.INVALID_REQUEST, "timeoutMs must be between");
    }

    @Test
    void rejectsMemoryOutsideLimits() {
        assertProblem(() -> validator.validate(new FunctionSpec("hello", null, null, null, 8, null, null)),
                ProblemTypes.INVALID_REQUEST, "memoryMb must be between 16 and 4096, got 8");
        assertProblem(() -> validator.validate(new FunctionSpec("hello", null, null, null, 8192, null, null)),
                ProblemTypes.INVALID_REQUEST, "memoryMb must be between 16 and 4096, got 8192");
    }

    @Test
    void rejectsNegativeIdleTtl() {
        FunctionSpec spec = new FunctionSpec("hello", null, null, null, null, -1L, null);

        assertProblem(() -> validator.validate(spec), ProblemTypes.INVALID_REQUEST, "idleTtlMs must be between");
    }

    private static FunctionSpec spec(String name) {
        return new FunctionSpec(name, null, null, null, null, null, null);
    }

    private static void assertProblem(Runnable call, URI type, String detailStart) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ProblemException.class, problem -> {
            assertThat(problem.type()).isEqualTo(type);
            assertThat(problem.getMessage()).startsWith(detailStart);
        });
    }
}

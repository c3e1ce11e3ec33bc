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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FunctionSpecValidatorTests {

    private final FunctionSpecValidator validator = new FunctionSpecValidator(TestProperties.registry());

    @Test
    void fillsInPlatformDefaults() {
        FunctionConfig config = validator.validate(spec("hello"));

        assertThat(config).isEqualTo(new FunctionConfig("hello", "python", "function.handler", 30_000, 128, null, 60_000,
                Map.of(), 0, 10, 1, "none", null, null, 0, 1000L, Map.of()));
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

    @Test
    void keepsACpuLimitWithinDockersFloorAndTheConfiguredCeiling() {
        assertThat(validator.validate(withCpu(100)).cpuMillis()).isEqualTo(100);
        assertThat(validator.validate(withCpu(10)).cpuMillis()).isEqualTo(10);
        assertThat(validator.validate(withCpu(64_000)).cpuMillis()).isEqualTo(64_000);
        assertThat(validator.validate(spec("hello")).cpuMillis()).isNull();

        assertProblem(() -> validator.validate(withCpu(9)), ProblemTypes.INVALID_REQUEST,
                "cpuMillis must be between 10 and 64000, got 9");
        assertProblem(() -> validator.validate(withCpu(64_001)), ProblemTypes.INVALID_REQUEST,
                "cpuMillis must be between 10 and 64000, got 64001");
    }

    private static FunctionSpec withCpu(int cpuMillis) {
        return new FunctionSpec("hello", null, null, null, null, cpuMillis, null, null, null, null, null, null,
                null, null, null, null, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "hello", "hello-world-2", "0abc", "hello_fn", "a_b-c_", "hello-", "9__",
            "abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefgh"})
    void acceptsNamesFollowingTheRule(String name) {
        assertThat(validator.validate(spec(name)).name()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Hello", "Hello_World", "-hello", "_hello", "hello.world", "hello:1", "héllo", "a b",
            "hello/fn", "abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghi"})
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
                "runtime 'ruby' is not supported; supported runtimes: python, node, java, image");
    }

    @ParameterizedTest
    @ValueSource(strings = {"handler", "function.", ".handler", "pkg/mod.handler", "pkg..handler", "1mod.handler"})
    void rejectsMalformedHandler(String handler) {
        FunctionSpec spec = new FunctionSpec("hello", null, handler, null, null, null, null);

        assertProblem(() -> validator.validate(spec), ProblemTypes.INVALID_REQUEST, "invalid handler");
    }

    @ParameterizedTest
    @CsvSource({"node, function.handler", "node, index.handler", "node, src/app.main", "node, my-lib/app.v2.run",
            "java, com.example.Hello", "java, com.example.Hello::handle", "java, Hello", "java, a.b.Outer$Inner"})
    void acceptsHandlersOfEachRuntime(String runtime, String handler) {
        FunctionSpec spec = new FunctionSpec("hello", runtime, handler, null, null, null, null);

        assertThat(validator.validate(spec).handler()).isEqualTo(handler);
    }

    @ParameterizedTest
    @CsvSource({"node, handler", "node, ../up.handler", "node, /abs.handler", "node, index.1st",
            "node, src//app.main", "java, com.example.", "java, com..Hello", "java, com.example.Hello::",
            "java, com.example.Hello::a::b", "java, com/example/Hello", "java, 1com.Hello"})
    void rejectsHandlersNotOfTheRuntimesForm(String runtime, String handler) {
        FunctionSpec spec = new FunctionSpec("hello", runtime, handler, null, null, null, null);

        assertProblem(() -> validator.validate(spec), ProblemTypes.INVALID_REQUEST,
                "invalid handler '" + handler + "': expected");
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

    @Test
    void keepsScalingIsolationAndRetrySettings() {
        FunctionConfig config = validator.validate(new FunctionSpec("hello", "python", null, null, null, null, null,
                2, 5, 4, "outbound", "runsc", null, 3, 250L));

        assertThat(config).extracting(FunctionConfig::minInstances, FunctionConfig::maxInstances,
                        FunctionConfig::concurrency, FunctionConfig::network, FunctionConfig::ociRuntime,
                        FunctionConfig::maxRetries, FunctionConfig::retryBackoffMs)
                .containsExactly(2, 5, 4, "outbound", "runsc", 3, 250L);
    }

    @Test
    void raisesTheDefaultMaximumToAnExplicitMinimum() {
        FunctionConfig config = validator.validate(new FunctionSpec("hello", null, null, null, null, null, null,
                12, null, null, null, null, null, null, null));

        assertThat(config.maxInstances()).isEqualTo(12);
    }

    @Test
    void rejectsMinimumAboveMaximumInstances() {
        assertProblem(() -> validator.validate(new FunctionSpec("hello", null, null, null, null, null, null,
                        3, 2, null, null, null, null, null, null)),
                ProblemTypes.INVALID_REQUEST, "minInstances (3) must not exceed maxInstances (2)");
    }

    @Test
    void rejectsScalingOutsideLimits() {
        assertProblem(() -> validator.validate(new FunctionSpec("hello", null, null, null, null, null, null,
                        null, 0, null, null, null, null, null, null)),
                ProblemTypes.INVALID_REQUEST, "maxInstances must be between 1 and 100, got 0");
        assertProblem(() -> validator.validate(new FunctionSpec("hello", null, null, null, null, null, null,
                        null, null, 101, null, null, null, null, null)),
                ProblemTypes.INVALID_REQUEST, "concurrency must be between 1 and 100, got 101");
        assertProblem(() -> validator.validate(new FunctionSpec("hello", null, null, null, null, null, null,
                        null, null, null, null, null, null, 11, null)),
                ProblemTypes.INVALID_REQUEST, "maxRetries must be between 0 and 10, got 11");
    }

    @ParameterizedTest
    @ValueSource(strings = {"host", "bridge", "", "NONE"})
    void rejectsUnknownNetworkModes(String network) {
        assertProblem(() -> validator.validate(new FunctionSpec("hello", null, null, null, null, null, null,
                        null, null, null, network, null, null, null, null)),
                ProblemTypes.INVALID_REQUEST, "network must be one of [none, outbound]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Runc", "run c", "--privileged", ""})
    void rejectsMalformedOciRuntimeNames(String ociRuntime) {
        assertProblem(() -> validator.validate(new FunctionSpec("hello", null, null, null, null, null, null,
                        null, null, null, null, ociRuntime, null, null, null)),
                ProblemTypes.INVALID_REQUEST, "invalid ociRuntime");
    }

    @Test
    void givesEachRuntimeItsHandlerRule() {
        assertThat(validator.validate(new FunctionSpec("hello", "node", null, null, null, null, null)).handler())
                .isEqualTo("index.handler");
        assertThat(validator.validate(new FunctionSpec("hello", "java", "com.example.Hello::handle", null, null,
                null, null)).handler()).isEqualTo("com.example.Hello::handle");
        assertProblem(() -> validator.validate(new FunctionSpec("hello", "java", null, null, null, null, null)),
                ProblemTypes.INVALID_REQUEST, "a java function needs a handler");
        assertProblem(() -> validator.validate(new FunctionSpec("hello", "node", "index", null, null, null, null)),
                ProblemTypes.INVALID_REQUEST, "invalid handler 'index': expected file.export");
    }

    @Test
    void requiresAnImageExactlyForImageFunctions() {
        FunctionConfig config = validator.validate(new FunctionSpec("hello", "image", null, null, null, null, null,
                null, null, null, null, null, "myorg/resize:1.0", null, null));
        assertThat(config.image()).isEqualTo("myorg/resize:1.0");

        assertProblem(() -> validator.validate(new FunctionSpec("hello", "image", null, null, null, null, null)),
                ProblemTypes.INVALID_REQUEST, "a function of runtime 'image' needs an image");
        assertProblem(() -> validator.validate(new FunctionSpec("hello", "python", null, null, null, null, null,
                        null, null, null, null, null, "myorg/resize:1.0", null, null)),
                ProblemTypes.INVALID_REQUEST, "image is only for functions of runtime 'image'");
        assertProblem(() -> validator.validate(new FunctionSpec("hello", "image", null, null, null, null, null,
                        null, null, null, null, null, "Bad Image!", null, null)),
                ProblemTypes.INVALID_REQUEST, "invalid image reference");
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

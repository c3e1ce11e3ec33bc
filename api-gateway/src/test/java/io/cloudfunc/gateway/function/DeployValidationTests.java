package io.cloudfunc.gateway.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.support.problem.ProblemException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class DeployValidationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ProblemException rejected(FunctionSpec spec) {
        return catchThrowableOfType(ProblemException.class, () -> FunctionSpecs.validate(spec));
    }

    @Test
    void acceptsAMinimalSpec() {
        FunctionSpec spec = new FunctionSpec("hello", "python", null, null, null, null, null);

        assertThat(FunctionSpecs.validate(spec)).isSameAs(spec);
    }

    @Test
    void rejectsMissingOrInvalidNamesAndMissingRuntime() {
        assertThat(rejected(new FunctionSpec(null, "python", null, null, null, null, null)).problem().getDetail())
                .contains("name is required");
        assertThat(rejected(new FunctionSpec("Hello", "python", null, null, null, null, null)).problem()
                .getProperties()).containsEntry("functionName", "Hello");
        assertThat(rejected(new FunctionSpec("a".repeat(64), "python", null, null, null, null, null))).isNotNull();
        assertThat(rejected(new FunctionSpec("hello", " ", null, null, null, null, null)).problem().getDetail())
                .contains("runtime");
    }

    @Test
    void rejectsNonPositiveLimits() {
        assertThat(rejected(new FunctionSpec("a", "python", null, 0L, null, null, null)).problem().getDetail())
                .contains("timeoutMs");
        assertThat(rejected(new FunctionSpec("a", "python", null, null, -1, null, null)).problem().getDetail())
                .contains("memoryMb");
        assertThat(rejected(new FunctionSpec("a", "python", null, null, null, 0L, null)).problem().getDetail())
                .contains("idleTtlMs");
    }

    @Test
    void rejectsEnvironmentNamesWithEquals() {
        assertThat(rejected(new FunctionSpec("a", "python", null, null, null, null, Map.of("A=B", "c")))).isNotNull();
    }

    @Test
    void readsEnvFromKeyValueFieldsAndJsonObjects() {
        Map<String, String> env = DeployForm.env(new String[] {"A=1", "URL=http://x/?q=a=b", "{\"B\":\"2\",\"C\":3}"},
                JSON);

        assertThat(env).containsExactly(Map.entry("A", "1"), Map.entry("URL", "http://x/?q=a=b"),
                Map.entry("B", "2"), Map.entry("C", "3"));
    }

    @Test
    void rejectsMalformedOrRepeatedEnvFields() {
        assertThat(catchThrowableOfType(ProblemException.class, () -> DeployForm.env(new String[] {"NOVALUE"}, JSON)))
                .isNotNull();
        assertThat(catchThrowableOfType(ProblemException.class, () -> DeployForm.env(new String[] {"=x"}, JSON)))
                .isNotNull();
        assertThat(catchThrowableOfType(ProblemException.class,
                () -> DeployForm.env(new String[] {"A=1", "A=2"}, JSON))).isNotNull();
        assertThat(catchThrowableOfType(ProblemException.class,
                () -> DeployForm.env(new String[] {"{\"A\":{\"nested\":1}}"}, JSON))).isNotNull();
        assertThat(catchThrowableOfType(ProblemException.class, () -> DeployForm.env(new String[] {"{broken"}, JSON)))
                .isNotNull();
    }
}

package io.cloudfunc.gateway.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.gateway.web.PublicJson;
import io.cloudfunc.support.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockPart;
import tools.jackson.databind.json.JsonMapper;

class DeployValidationTests {

    private static final PublicJson JSON = new PublicJson(JsonMapper.builder().build());

    private static ProblemException rejected(FunctionSpec spec) {
        return catchThrowableOfType(ProblemException.class, () -> FunctionSpecs.validate(spec));
    }

    @Test
    void acceptsAMinimalSpec() {
        FunctionSpec spec = new FunctionSpec("hello", "python", null, null, null, null, null);

        assertThat(FunctionSpecs.validate(spec)).isSameAs(spec);
    }

    @Test
    void acceptsUnderscoresInNames() {
        FunctionSpec spec = new FunctionSpec("hello_fn", "python", null, null, null, null, null);

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
        assertThat(rejected(new FunctionSpec("a", "python", null, null, null, 0, null, null, null, null, null, null,
                null, null, null, null, null)).problem().getDetail()).contains("cpuMillis");
    }

    @Test
    void rejectsEnvironmentNamesWithEquals() {
        assertThat(rejected(new FunctionSpec("a", "python", null, null, null, null, Map.of("A=B", "c")))).isNotNull();
    }

    @Test
    void readsEnvFromKeyValueFieldsAndJsonObjects() {
        Map<String, String> env = DeployForm.variables("Environment variable", new String[] {"A=1", "URL=http://x/?q=a=b", "{\"B\":\"2\",\"C\":\"3\"}"},
                JSON);

        assertThat(env).containsExactly(Map.entry("A", "1"), Map.entry("URL", "http://x/?q=a=b"),
                Map.entry("B", "2"), Map.entry("C", "3"));
    }

    @Test
    void rejectsMalformedOrRepeatedEnvFields() {
        assertThat(catchThrowableOfType(ProblemException.class, () -> DeployForm.variables("Environment variable", new String[] {"NOVALUE"}, JSON)))
                .isNotNull();
        assertThat(catchThrowableOfType(ProblemException.class, () -> DeployForm.variables("Environment variable", new String[] {"=x"}, JSON)))
                .isNotNull();
        assertThat(catchThrowableOfType(ProblemException.class,
                () -> DeployForm.variables("Environment variable", new String[] {"A=1", "A=2"}, JSON))).isNotNull();
        assertThat(catchThrowableOfType(ProblemException.class,
                () -> DeployForm.variables("Environment variable", new String[] {"{\"A\":{\"nested\":1}}"}, JSON))).isNotNull();
        assertThat(catchThrowableOfType(ProblemException.class, () -> DeployForm.variables("Environment variable", new String[] {"{broken"}, JSON)))
                .isNotNull();
    }

    @Test
    void refusesANumberAsAnEnvValueAndAKeyGivenTwiceInOneObject() {
        ProblemException number = catchThrowableOfType(ProblemException.class,
                () -> DeployForm.variables("Environment variable", new String[] {"{\"PORT\":8080}"}, JSON));
        ProblemException twice = catchThrowableOfType(ProblemException.class,
                () -> DeployForm.variables("Environment variable", new String[] {"{\"A\":\"1\",\"A\":\"2\"}"}, JSON));

        assertThat(number.problem().getDetail()).isEqualTo("Environment variable PORT must be a string.");
        assertThat(twice.problem().getDetail()).contains("duplicate field 'A'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\":\"a\",\"runtime\":\"python\",\"timeoutMs\":\"x\"}",
            "{\"name\":\"a\",\"env\":{\"A\":[1]}}", "{\"name\":\"a\",\"runtime\":", "{\"name\" \"a\"}"})
    void describesABadMetadataPartWithoutJavaNames(String metadata) {
        var request = new MockHttpServletRequest("POST", "/functions");
        request.addPart(new MockPart("metadata", metadata.getBytes(StandardCharsets.UTF_8)));
        request.addPart(new MockPart("code", new byte[] {'P', 'K', 3, 4}));

        ProblemException problem = catchThrowableOfType(ProblemException.class, () -> DeployForm.read(request, JSON));

        assertThat(problem.problem().getStatus()).isEqualTo(400);
        assertThat(problem.problem().getDetail()).startsWith("The 'metadata' part")
                .doesNotContain("io.cloudfunc").doesNotContain("Source:").doesNotContain("StreamReadFeature")
                .doesNotContain("REDACTED");
    }

    @Test
    void refusesAFormFieldGivenTwiceEvenWhenOneComesInTheQueryString() {
        var request = new MockHttpServletRequest("POST", "/functions");
        request.addParameter("runtime", "python", "node");
        request.addParameter("name", "a");
        request.addPart(new MockPart("code", new byte[] {'P', 'K', 3, 4}));

        ProblemException problem = catchThrowableOfType(ProblemException.class, () -> DeployForm.read(request, JSON));

        assertThat(problem.problem().getDetail()).startsWith("The 'runtime' part is given twice");
    }

    @Test
    void namesTheInvalidMetadataPropertyByItsJsonPath() {
        var request = new MockHttpServletRequest("POST", "/functions");
        request.addPart(new MockPart("metadata",
                "{\"name\":\"a\",\"runtime\":\"python\",\"timeoutMs\":\"x\"}".getBytes(StandardCharsets.UTF_8)));

        ProblemException problem = catchThrowableOfType(ProblemException.class, () -> DeployForm.read(request, JSON));

        assertThat(problem.problem().getDetail()).isEqualTo(
                "The 'metadata' part is not valid: 'timeoutMs' must be a whole number.");
        assertThat(problem.problem().getProperties()).containsEntry("field", "timeoutMs");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"name\":\"a\",\"runtime\":\"python\",\"timeoutMs\":1.5}|'timeoutMs' must be a whole number",
            "{\"name\":\"a\",\"runtime\":\"python\",\"name\":\"b\"}|duplicate field 'name'",
            "{\"name\":12,\"runtime\":\"python\"}|'name' must be a string"})
    void refusesWhatWouldBeCoercedOrOverwrittenInTheMetadataPart(String metadata, String reason) {
        var request = new MockHttpServletRequest("POST", "/functions");
        request.addPart(new MockPart("metadata", metadata.getBytes(StandardCharsets.UTF_8)));
        request.addPart(new MockPart("code", new byte[] {'P', 'K', 3, 4}));

        ProblemException problem = catchThrowableOfType(ProblemException.class, () -> DeployForm.read(request, JSON));

        assertThat(problem.problem().getDetail()).isEqualTo("The 'metadata' part is not valid: " + reason + ".");
    }

    @ParameterizedTest
    @ValueSource(strings = {"code", "name", "metadata", "runtime"})
    void refusesAPartGivenTwice(String name) {
        var request = new MockHttpServletRequest("POST", "/functions");
        request.addPart(new MockPart(name, "a".getBytes(StandardCharsets.UTF_8)));
        request.addPart(new MockPart(name, "b".getBytes(StandardCharsets.UTF_8)));

        ProblemException problem = catchThrowableOfType(ProblemException.class, () -> DeployForm.read(request, JSON));

        assertThat(problem.problem().getStatus()).isEqualTo(400);
        assertThat(problem.problem().getDetail()).startsWith("The '" + name + "' part is given twice");
        assertThat(problem.problem().getProperties()).containsEntry("field", name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"A\":", "{\"A\" 1}", "{'A':1}"})
    void describesABadEnvObjectWithoutJavaNames(String env) {
        ProblemException problem = catchThrowableOfType(ProblemException.class,
                () -> DeployForm.variables("Environment variable", new String[] {env}, JSON));

        assertThat(problem.problem().getDetail()).startsWith("The env field is not a valid JSON object: ")
                .doesNotContain("io.cloudfunc").doesNotContain("Source:").doesNotContain("StreamReadFeature")
                .doesNotContain("REDACTED");
    }
}

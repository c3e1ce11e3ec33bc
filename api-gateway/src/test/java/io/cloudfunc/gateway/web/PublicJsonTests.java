package io.cloudfunc.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cloudfunc.contracts.auth.ApiKeyRole;
import io.cloudfunc.contracts.auth.CreateApiKey;
import io.cloudfunc.contracts.function.AliasRequest;
import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.contracts.function.InlineDeployRequest;
import io.cloudfunc.support.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class PublicJsonTests {

    private static final PublicJson JSON = new PublicJson(JsonMapper.builder().build());

    private static ProblemException refused(String body, Class<?> type) {
        return catchThrowableOfType(ProblemException.class,
                () -> JSON.read(body.getBytes(StandardCharsets.UTF_8), type, "The body"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"name\":\"a\",\"timeoutMs\":1.5}|'timeoutMs' must be a whole number|timeoutMs",
            "{\"name\":\"a\",\"timeoutMs\":2.0}|'timeoutMs' must be a whole number|timeoutMs",
            "{\"name\":\"a\",\"memoryMb\":1e3}|'memoryMb' must be a whole number|memoryMb",
            "{\"name\":\"a\",\"timeoutMs\":\"100\"}|'timeoutMs' must be a whole number|timeoutMs",
            "{\"name\":12}|'name' must be a string|name",
            "{\"name\":true}|'name' must be a string|name",
            "{\"name\":\"a\",\"env\":{\"PORT\":8080}}|'env.PORT' must be a string|env.PORT",
            "{\"name\":\"a\",\"name\":\"b\"}|duplicate field 'name'|name",
            "{\"name\":\"a\",\"env\":{\"A\":\"1\",\"A\":\"2\"}}|duplicate field 'env.A'|env.A",
            "{\"name\":\"a\",\"memroyMb\":256}|unknown field 'memroyMb'|memroyMb",
            "{\"name\":\"a\",\"memoryMb\":99999999999}|'memoryMb' is out of range for a whole number|memoryMb",
            "{\"name\":[\"a\"]}|'name' must be a string|name",
            "{\"name\":\"a\",\"env\":[]}|'env' must be a JSON object|env"})
    void refusesWhatALenientReaderWouldCoerceDropOrOverwrite(String body, String reason, String field) {
        ProblemException problem = refused(body, FunctionSpec.class);

        assertThat(problem.problem().getStatus()).isEqualTo(400);
        assertThat(problem.problem().getDetail()).isEqualTo("The body is not valid: " + reason + ".");
        assertThat(problem.problem().getProperties()).containsEntry("field", field);
    }

    @Test
    void refusesADuplicateKeyInAnInlineDeploy() {
        ProblemException problem = refused("{\"name\":\"a\",\"runtime\":\"python\",\"code\":\"x = 1\","
                + "\"code\":\"y = 2\"}", InlineDeployRequest.class);

        assertThat(problem.problem().getDetail()).isEqualTo("The body is not valid: duplicate field 'code'.");
    }

    @Test
    void namesTheRolesAKeyMayHave() {
        assertThat(refused("{\"name\":\"k\",\"role\":1}", CreateApiKey.class).problem().getDetail())
                .isEqualTo("The body is not valid: 'role' must be one of 'invoker', 'developer', 'admin'.");
        assertThat(refused("{\"name\":\"k\",\"role\":\"boss\"}", CreateApiKey.class).problem().getDetail())
                .isEqualTo("The body is not valid: 'role' must be one of 'invoker', 'developer', 'admin'.");
        assertThat(refused("{\"name\":\"k\",\"role\":\"admin\",\"rateLimit\":{\"burst\":1.5}}", CreateApiKey.class)
                .problem().getDetail()).isEqualTo("The body is not valid: 'rateLimit.burst' must be a whole number.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"name\":\"k\",\"role\":\"admin\",\"expiresAt\":1893456000}",
            "{\"name\":\"k\",\"role\":\"admin\",\"expiresAt\":1893456000.5}",
            "{\"name\":\"k\",\"role\":\"admin\",\"expiresAt\":true}",
            "{\"name\":\"k\",\"role\":\"admin\",\"expiresAt\":[2030,1,1]}"})
    void refusesAnInstantThatIsNotAnIsoString(String body) {
        // a number would be read as epoch seconds (or milliseconds, depending on the reader): not what the key says
        ProblemException problem = refused(body, CreateApiKey.class);

        assertThat(problem.problem().getDetail()).isEqualTo(
                "The body is not valid: 'expiresAt' must be an ISO-8601 instant such as 2026-03-01T10:00:00Z.");
        assertThat(problem.problem().getProperties()).containsEntry("field", "expiresAt");
    }

    @Test
    void refusesAnythingAfterTheDocumentAndAnEmptyOrNullBody() {
        assertThat(refused("{\"version\":1} {}", AliasRequest.class).problem().getDetail())
                .startsWith("The body is not valid: ");
        assertThat(refused("", AliasRequest.class).problem().getDetail()).contains("empty");
        assertThat(refused("null", AliasRequest.class).problem().getDetail()).contains("must be a JSON object");
    }

    @Test
    void neverNamesAJavaClassNorRepeatsTheValue() {
        String detail = refused("{\"name\":\"a\",\"secrets\":{\"TOKEN\":12345}}", FunctionSpec.class).problem()
                .getDetail();

        assertThat(detail).isEqualTo("The body is not valid: 'secrets.TOKEN' must be a string.")
                .doesNotContain("12345").doesNotContain("java.").doesNotContain("io.cloudfunc");
    }

    @Test
    void readsAWellFormedBodyAsItIs() {
        FunctionSpec spec = JSON.read("{\"name\":\"a\",\"runtime\":\"python\",\"timeoutMs\":1500,\"env\":{\"A\":\"1\"}}"
                .getBytes(StandardCharsets.UTF_8), FunctionSpec.class, "The body");
        CreateApiKey key = JSON.read("{\"name\":\"ci\",\"role\":\"developer\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8), CreateApiKey.class, "The body");

        assertThat(spec.timeoutMs()).isEqualTo(1500L);
        assertThat(spec.env()).containsEntry("A", "1");
        assertThat(key.role()).isEqualTo(ApiKeyRole.DEVELOPER);
        assertThat(key.expiresAt()).hasToString("2030-01-01T00:00:00Z");
    }
}

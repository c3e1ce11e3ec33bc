package io.cloudfunc.support.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

class JsonProblemsTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Spec(String name, Long timeoutMs, Map<String, String> env) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":", "{\"a\": [1,", "\"open", "{\"a\" 1}", "nope", "{'a':1}", "[1,]"})
    void describesSyntaxErrorsWithoutSourceExcerpts(String document) {
        JacksonException failure = catchThrowableOfType(JacksonException.class, () -> JSON.readTree(document));

        assertThat(JsonProblems.reason(failure)).isNotBlank().contains("line 1, column")
                .doesNotContain("Source:").doesNotContain("REDACTED").doesNotContain("StreamReadFeature")
                .doesNotContain("\n");
    }

    @Test
    void describesAValueOfTheWrongTypeByItsPathNotItsJavaClass() {
        JacksonException failure = catchThrowableOfType(JacksonException.class,
                () -> JSON.readValue("{\"name\":\"a\",\"env\":{\"A\":[1]}}", Spec.class));

        assertThat(JsonProblems.reason(failure)).isEqualTo("invalid value at 'env.A'");
        assertThat(JsonProblems.describe("the body", failure)).isEqualTo("the body has an invalid value at 'env.A'");
    }
}

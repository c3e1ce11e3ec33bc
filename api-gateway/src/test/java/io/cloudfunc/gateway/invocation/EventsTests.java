package io.cloudfunc.gateway.invocation;

import static io.cloudfunc.support.testing.TestDocuments.nested;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cloudfunc.contracts.invocation.EventLimits;
import io.cloudfunc.support.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class EventsTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[1, 2]", "\"text\"", "42", "null", "true", " { \"nested\": {\"a\": [null]} } \n"})
    void acceptsAnySingleJsonValueAndKeepsItsBytes(String event) {
        byte[] body = event.getBytes(StandardCharsets.UTF_8);

        assertThat(Events.checked(body, JSON)).isSameAs(body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n"})
    void turnsAnEmptyBodyIntoAnEmptyObject(String event) {
        assertThat(new String(Events.checked(event.getBytes(StandardCharsets.UTF_8), JSON), StandardCharsets.UTF_8))
                .isEqualTo("{}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"a\":}", "[1,]", "nope", "{} {}", "1 2", "{\"a\":1}}", "'single'", "[{\"a\":[1",
            "\"unterminated"})
    void rejectsAnythingButOneJsonValue(String event) {
        ProblemException problem = catchThrowableOfType(ProblemException.class,
                () -> Events.checked(event.getBytes(StandardCharsets.UTF_8), JSON));

        assertThat(problem.problem().getStatus()).isEqualTo(400);
        assertThat(problem.problem().getDetail()).startsWith("The event ")
                .doesNotContain("io.cloudfunc").doesNotContain("Source:").doesNotContain("StreamReadFeature")
                .doesNotContain("REDACTED");
    }

    @Test
    void saysWhereAnUnfinishedEventStopsInPlainWords() {
        ProblemException problem = catchThrowableOfType(ProblemException.class,
                () -> Events.checked("{\"a\": [1,".getBytes(StandardCharsets.UTF_8), JSON));

        assertThat(problem.problem().getDetail()).contains("line 1, column").doesNotContain("Source:")
                .doesNotContain("StreamReadFeature").doesNotContain("start marker");
    }

    @Test
    void acceptsAnEventExactlyAsDeepAsTheLimitAndRefusesOneLevelMore() {
        byte[] deepest = nested(EventLimits.MAX_DEPTH).getBytes(StandardCharsets.UTF_8);
        assertThat(Events.checked(deepest, JSON)).isSameAs(deepest);

        ProblemException problem = catchThrowableOfType(ProblemException.class,
                () -> Events.checked(nested(EventLimits.MAX_DEPTH + 1).getBytes(StandardCharsets.UTF_8), JSON));
        assertThat(problem.problem().getStatus()).isEqualTo(400);
        assertThat(problem.problem().getDetail()).contains("nested too deeply")
                .contains(Integer.toString(EventLimits.MAX_DEPTH));
    }

    @Test
    void everyLaterHopsDefaultReaderTakesADocumentOfTheDocumentDepth() {
        // the scheduler, the container-manager and the registry read with Jackson's defaults (Boot's JsonMapper)
        assertThat(JSON.readTree(nested(EventLimits.DOCUMENT_DEPTH)).isObject()).isTrue();
    }
}

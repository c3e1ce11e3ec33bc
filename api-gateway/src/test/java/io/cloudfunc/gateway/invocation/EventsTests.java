package io.cloudfunc.gateway.invocation;

import static io.cloudfunc.support.testing.TestDocuments.nested;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cloudfunc.contracts.invocation.EventLimits;
import io.cloudfunc.support.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

    @ParameterizedTest
    @ValueSource(strings = {"{\"n\": 0.1e99999}", "0.1e99999", "[1e-2000]", "{\"a\": [1, 2E+1001]}"})
    void refusesANumberThatIsTooLongWrittenOutInFull(String event) {
        // PostgreSQL's jsonb stores a number written out (0.1e99999 as 99,999 digits): the registry could store the
        // call's record but never read it back (found by PublicApiFuzzIT: GET /invocations/{id} answered 500)
        ProblemException problem = catchThrowableOfType(ProblemException.class,
                () -> Events.checked(event.getBytes(StandardCharsets.UTF_8), JSON));

        assertThat(problem.problem().getStatus()).isEqualTo(400);
        assertThat(problem.problem().getDetail()).isEqualTo("The event has a number of more than "
                + EventLimits.MAX_NUMBER_DIGITS + " digits when written out in full.");
    }

    @Test
    void acceptsNumbersUpToTheDigitLimitAsTheyCame() {
        for (String event : List.of("{\"n\": 1e400}", "1e-400", "[123.456e2, -0.0, 1E+998]", "0." + "1".repeat(999))) {
            byte[] body = event.getBytes(StandardCharsets.UTF_8);
            assertThat(Events.checked(body, JSON)).as(event).isSameAs(body);
        }
        // written out in full, the longest number a later hop reads with Jackson's defaults
        assertThat(JSON.readTree("1" + "0".repeat(EventLimits.MAX_NUMBER_DIGITS - 1)).isNumber()).isTrue();
    }

    @Test
    void everyLaterHopsDefaultReaderTakesADocumentOfTheDocumentDepth() {
        // the scheduler, the container-manager and the registry read with Jackson's defaults (Boot's JsonMapper)
        assertThat(JSON.readTree(nested(EventLimits.DOCUMENT_DEPTH)).isObject()).isTrue();
    }
}

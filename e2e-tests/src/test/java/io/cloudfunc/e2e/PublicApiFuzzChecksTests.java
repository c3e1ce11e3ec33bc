package io.cloudfunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.e2e.PublicApiFuzzIT.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fuzz's checks refuse each kind of wrong answer it is there to find, and pass a right one. */
class PublicApiFuzzChecksTests {

    private static final String PROBLEM = "{\"type\":\"urn:cloudfunc:problem:invalid-request\","
            + "\"title\":\"Invalid request\",\"status\":400,\"detail\":\"The name 'Bad_Name' is not valid.\"}";

    @Test
    void passesAProblemDetailAndASuccess() {
        assertThat(PublicApiFuzzIT.check(new Answer(400, "application/problem+json", PROBLEM, null))).isEmpty();
        assertThat(PublicApiFuzzIT.check(new Answer(200, "application/json", "[]", null))).isEmpty();
    }

    @Test
    void refusesA5xxAndAnErrorThatIsNoProblemDetail() {
        assertThat(PublicApiFuzzIT.check(new Answer(500, "application/problem+json",
                PROBLEM.replace("400", "500"), null))).containsExactly("a 5xx");
        assertThat(PublicApiFuzzIT.check(new Answer(400, "text/html", "<html>Bad Request</html>", null)))
                .contains("an error that is not application/problem+json", "an error body that is not JSON");
        assertThat(PublicApiFuzzIT.check(new Answer(404, "application/problem+json", PROBLEM, null)))
                .containsExactly("a problem without type, title or the answer's status");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/internal/functions/x", "java.lang.IllegalStateException: boom",
            "\\tat Invoke.call(Invoke.java:12)", "tools.jackson.core.JsonParseException",
            "org.springframework.web.HttpMediaTypeNotSupportedException", "open /var/lib/docker/tmp/docker-import-1"})
    void refusesAnErrorNamingSomethingInternal(String leak) {
        String body = PROBLEM.replace("The name 'Bad_Name' is not valid.", leak);

        assertThat(PublicApiFuzzIT.check(new Answer(400, "application/problem+json", body, null)))
                .singleElement().asString().startsWith("names something internal");
    }
}

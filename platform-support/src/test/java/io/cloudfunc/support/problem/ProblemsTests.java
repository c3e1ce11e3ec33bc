package io.cloudfunc.support.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.problem.ProblemTypes;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

class ProblemsTests {

    @ParameterizedTest
    @CsvSource({
            "invalid-request, Invalid request",
            "invalid-archive, Invalid archive",
            "unsupported-runtime, Unsupported runtime",
            "function-not-found, Function not found",
            "alias-not-found, Alias not found",
            "instance-not-found, Instance not found",
            "instance-busy, Instance busy",
            "invocation-not-found, Invocation not found",
            "not-found, Not found",
            "method-not-allowed, Method not allowed",
            "payload-too-large, Payload too large",
            "unsupported-media-type, Unsupported media type",
            "function-error, Function error",
            "function-timeout, Function timed out",
            "platform-error, Platform error"})
    void titlesEveryProblemTypeOfTheContracts(String name, String title) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, URI.create("urn:cloudfunc:problem:" + name), "d");

        assertThat(problem.getTitle()).isEqualTo(title);
        assertThat(problem.getType()).hasToString("urn:cloudfunc:problem:" + name);
        assertThat(problem.getStatus()).isEqualTo(400);
        assertThat(problem.getDetail()).isEqualTo("d");
    }

    @Test
    void titlesATypeWithoutTitleAfterTheStatusInSentenceCase() {
        ProblemDetail conflict = Problems.of(HttpStatus.CONFLICT, URI.create("urn:example:other"), "d");
        ProblemDetail unavailable = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, URI.create("urn:example:other"), "d");

        assertThat(conflict.getTitle()).isEqualTo("Conflict");
        assertThat(unavailable.getTitle()).isEqualTo("Service unavailable");
    }

    @Test
    void hasOneTitleInSentenceCaseForEveryTypeOfTheContracts() throws IllegalAccessException {
        for (var field : ProblemTypes.class.getFields()) {
            if (field.getType() == URI.class) {
                String title = Problems.titleFor((URI) field.get(null));
                assertThat(title).as(field.getName()).isNotBlank();
                // "API key not found" keeps its acronym; otherwise only the first letter is a capital
                assertThat(title.replace("API", "Api").substring(1)).as(field.getName())
                        .isEqualTo(title.replace("API", "Api").substring(1).toLowerCase(java.util.Locale.ROOT));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
            "404, urn:cloudfunc:problem:not-found, Not found",
            "405, urn:cloudfunc:problem:method-not-allowed, Method not allowed",
            "413, urn:cloudfunc:problem:payload-too-large, Payload too large",
            "415, urn:cloudfunc:problem:unsupported-media-type, Unsupported media type",
            "400, urn:cloudfunc:problem:invalid-request, Invalid request",
            "406, urn:cloudfunc:problem:invalid-request, Invalid request",
            "500, urn:cloudfunc:problem:platform-error, Platform error",
            "503, urn:cloudfunc:problem:platform-error, Platform error"})
    void retypesAProblemSpringMadeByItsStatus(int status, String type, String title) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(status), "Spring's words");

        Problems.retype(problem, status);

        assertThat(problem.getType()).hasToString(type);
        assertThat(problem.getTitle()).isEqualTo(title);
        assertThat(problem.getDetail()).isEqualTo("Spring's words");
    }

    @Test
    void buildsTheCommonProblemsWithTheirStatusAndType() {
        assertProblem(Problems.invalidRequest("a"), 400, ProblemTypes.INVALID_REQUEST, "a");
        assertProblem(Problems.invalidArchive("b"), 400, ProblemTypes.INVALID_ARCHIVE, "b");
        assertProblem(Problems.payloadTooLarge("c"), 413, ProblemTypes.PAYLOAD_TOO_LARGE, "c");
        assertProblem(Problems.unsupportedMediaType("d"), 415, ProblemTypes.UNSUPPORTED_MEDIA_TYPE, "d");
    }

    @Test
    void invalidNameStatesTheRuleAndNamesTheFunction() {
        ProblemException e = Problems.invalidName("Bad_Name");

        assertProblem(e, 400, ProblemTypes.INVALID_REQUEST, "Invalid function name 'Bad_Name': a function name is");
        assertThat(e.problem().getProperties()).containsEntry("functionName", "Bad_Name");
    }

    @Test
    void platformErrorIs503NamingTheServiceThatFailed() {
        ProblemException e = Problems.platformError("function-registry", "The function-registry is unavailable.");

        assertProblem(e, 503, ProblemTypes.PLATFORM_ERROR, "The function-registry is unavailable.");
        assertThat(e.problem().getTitle()).isEqualTo("Platform error");
        assertThat(e.problem().getProperties()).containsEntry("service", "function-registry");
    }

    @Test
    void problemExceptionCarriesNoStackTraceAndCollectsProperties() {
        ProblemException e = Problems.invalidRequest("bad").with("a", 1).with("b", "two");

        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.getMessage()).isEqualTo("bad");
        assertThat(e.problem().getProperties()).containsExactly(
                Map.entry("a", 1), Map.entry("b", "two"));
    }

    private static void assertProblem(ProblemException e, int status, URI type, String detailStart) {
        assertThat(e.status()).isEqualTo(HttpStatus.valueOf(status));
        assertThat(e.type()).isEqualTo(type);
        assertThat(e.problem().getStatus()).isEqualTo(status);
        assertThat(e.problem().getDetail()).startsWith(detailStart);
        assertThat(e.getMessage()).startsWith(detailStart);
    }
}

package io.cloudfunc.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ProblemErrorReportValveTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void writesABadRequestAsAnInvalidRequestProblem() {
        JsonNode problem = JSON.readTree(ProblemErrorReportValve.body(400));

        assertThat(problem.path("type").asString()).isEqualTo("urn:cloudfunc:problem:invalid-request");
        assertThat(problem.path("title").asString()).isEqualTo("Invalid request");
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("detail").asString()).startsWith("The request could not be parsed: ");
    }

    @Test
    void writesOtherStatusesWithTheirOwnTypes() {
        assertThat(JSON.readTree(ProblemErrorReportValve.body(404)).path("type").asString())
                .isEqualTo("urn:cloudfunc:problem:not-found");
        assertThat(JSON.readTree(ProblemErrorReportValve.body(505)).path("type").asString())
                .isEqualTo("urn:cloudfunc:problem:platform-error");
        assertThat(JSON.readTree(ProblemErrorReportValve.body(431)).path("status").asInt()).isEqualTo(431);
    }
}

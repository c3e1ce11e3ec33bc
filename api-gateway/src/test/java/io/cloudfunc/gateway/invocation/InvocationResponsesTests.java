package io.cloudfunc.gateway.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.problem.ProblemTypes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class InvocationResponsesTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final UUID ID = UUID.fromString("0b6f3c8e-2f0e-4f5b-9d7c-1a2b3c4d5e6f");

    private static InvocationCompleted completed(InvocationStatus status, StartType start, JsonNode result,
            FunctionError error, ErrorKind kind, String logs) {
        return new InvocationCompleted(ID, "fn", 2, status, start, result, error, kind, logs, Instant.EPOCH,
                Instant.EPOCH.plusMillis(7), 7);
    }

    @Test
    void succeededIs200WithTheResultAsJsonAndTheHeaders() {
        ResponseEntity<?> response = InvocationResponses.toResponse(completed(InvocationStatus.SUCCEEDED,
                StartType.COLD, JSON.readTree("{\"n\":[1,2]}"), null, null, ""), JSON);

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(new String((byte[]) response.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":[1,2]}");
        assertThat(response.getHeaders().getFirst("X-CloudFunc-Invocation-Id")).isEqualTo(ID.toString());
        assertThat(response.getHeaders().getFirst("X-CloudFunc-Start")).isEqualTo("cold");
        assertThat(response.getHeaders().getFirst("X-CloudFunc-Duration-Ms")).isEqualTo("7");
        assertThat(response.getHeaders().getFirst("X-CloudFunc-Status")).isEqualTo("SUCCEEDED");
        assertThat(response.getHeaders().getFirst("X-CloudFunc-Version")).isEqualTo("2");
        assertThat(response.getHeaders().getFirst("X-CloudFunc-Function-Error")).isNull();
    }

    @Test
    void aStringResultIsAJsonStringAndAMissingResultIsNull() {
        ResponseEntity<?> text = InvocationResponses.toResponse(completed(InvocationStatus.SUCCEEDED,
                StartType.PREWARMED, JSON.readTree("\"hi\""), null, null, null), JSON);
        ResponseEntity<?> none = InvocationResponses.toResponse(completed(InvocationStatus.SUCCEEDED,
                StartType.WARM, null, null, null, null), JSON);

        assertThat(new String((byte[]) text.getBody(), StandardCharsets.UTF_8)).isEqualTo("\"hi\"");
        assertThat(text.getHeaders().getFirst("X-CloudFunc-Start")).isEqualTo("prewarmed");
        assertThat(new String((byte[]) none.getBody(), StandardCharsets.UTF_8)).isEqualTo("null");
    }

    @Test
    void aFunctionErrorIs502WithTheErrorTheLogsAndTheUnhandledHeader() {
        var error = new FunctionError("KeyError", "'name'", List.of("function.py:2 in handler"));

        ResponseEntity<?> response = InvocationResponses.toResponse(completed(InvocationStatus.FAILED,
                StartType.WARM, null, error, ErrorKind.FUNCTION, "starting\n"), JSON);

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getHeaders().getFirst("X-CloudFunc-Function-Error")).isEqualTo("Unhandled");
        assertThat(response.getHeaders().getFirst("X-CloudFunc-Status")).isEqualTo("FAILED");
        ProblemDetail problem = (ProblemDetail) response.getBody();
        assertThat(problem.getType()).isEqualTo(ProblemTypes.FUNCTION_ERROR);
        assertThat(problem.getDetail()).isEqualTo("Function 'fn' raised KeyError: 'name'");
        assertThat(problem.getProperties())
                .containsEntry("invocationId", ID)
                .containsEntry("functionName", "fn")
                .containsEntry("errorType", "KeyError")
                .containsEntry("errorMessage", "'name'")
                .containsEntry("trace", List.of("function.py:2 in handler"))
                .containsEntry("logs", "starting\n");
    }

    @Test
    void aPlatformFailureIs503WithoutTheFunctionErrorHeader() {
        ResponseEntity<?> response = InvocationResponses.toResponse(completed(InvocationStatus.FAILED, null, null,
                FunctionError.of("PlatformError", "image missing"), ErrorKind.PLATFORM, null), JSON);

        assertThat(response.getStatusCode().value()).isEqualTo(503);
        ProblemDetail problem = (ProblemDetail) response.getBody();
        assertThat(problem.getType()).isEqualTo(ProblemTypes.PLATFORM_ERROR);
        assertThat(problem.getDetail()).contains("image missing");
        assertThat(problem.getProperties()).containsEntry("invocationId", ID);
        assertThat(response.getHeaders().getFirst("X-CloudFunc-Function-Error")).isNull();
        assertThat(response.getHeaders().getFirst("X-CloudFunc-Start")).isNull();
    }

    @Test
    void aFailureOfUnknownKindIsTreatedAsThePlatforms() {
        ResponseEntity<?> response = InvocationResponses.toResponse(completed(InvocationStatus.FAILED, null, null,
                null, null, null), JSON);

        assertThat(response.getStatusCode().value()).isEqualTo(503);
    }

    @Test
    void aTimeoutIs504WithTheInvocationId() {
        ResponseEntity<?> response = InvocationResponses.toResponse(completed(InvocationStatus.TIMED_OUT,
                StartType.WARM, null, FunctionError.of("TimeoutError", "ran longer than 3000 ms"),
                ErrorKind.FUNCTION, "tick\n"), JSON);

        assertThat(response.getStatusCode().value()).isEqualTo(504);
        ProblemDetail problem = (ProblemDetail) response.getBody();
        assertThat(problem.getType()).isEqualTo(ProblemTypes.FUNCTION_TIMEOUT);
        assertThat(problem.getProperties()).containsEntry("invocationId", ID).containsEntry("logs", "tick\n");
        assertThat(response.getHeaders().getFirst("X-CloudFunc-Status")).isEqualTo("TIMED_OUT");
        assertThat(response.getHeaders().getFirst("X-CloudFunc-Function-Error")).isNull();
    }
}

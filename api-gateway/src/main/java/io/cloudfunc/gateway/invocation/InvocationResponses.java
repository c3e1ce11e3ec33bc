package io.cloudfunc.gateway.invocation;

import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.support.problem.Problems;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * An {@link InvocationCompleted} as HTTP (docs/api.md):
 * <ul>
 * <li>SUCCEEDED: 200, the function's result as the JSON body;</li>
 * <li>FAILED by the function: 502 {@code function-error} problem carrying the error and the logs, plus
 * {@code X-CloudFunc-Function-Error: Unhandled};</li>
 * <li>FAILED by the platform: 503 {@code platform-error} problem;</li>
 * <li>TIMED_OUT: 504 {@code function-timeout} problem.</li>
 * </ul>
 * All carry the {@code X-CloudFunc-*} headers: invocation id, status, version, duration and start type.
 */
final class InvocationResponses {

    static final String INVOCATION_ID = "X-CloudFunc-Invocation-Id";
    static final String STATUS = "X-CloudFunc-Status";
    static final String START = "X-CloudFunc-Start";
    static final String DURATION_MS = "X-CloudFunc-Duration-Ms";
    static final String TOTAL_MS = "X-CloudFunc-Total-Ms";
    static final String VERSION = "X-CloudFunc-Version";
    static final String FUNCTION_ERROR = "X-CloudFunc-Function-Error";
    static final String UNHANDLED = "Unhandled";

    private static final byte[] JSON_NULL = {'n', 'u', 'l', 'l'};

    private InvocationResponses() {
    }

    static ResponseEntity<?> toResponse(InvocationCompleted completed, JsonMapper json) {
        HttpHeaders headers = headers(completed);
        return switch (completed.status()) {
            case SUCCEEDED -> ResponseEntity.ok()
                    .headers(headers)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(completed.result() == null ? JSON_NULL : json.writeValueAsBytes(completed.result()));
            case FAILED -> completed.errorKind() == ErrorKind.FUNCTION
                    ? functionError(completed, headers)
                    : problem(platformError(completed), headers);
            case TIMED_OUT -> problem(timedOut(completed), headers);
            case QUEUED, RUNNING -> problem(notFinal(completed), headers);
        };
    }

    private static ResponseEntity<ProblemDetail> functionError(InvocationCompleted completed, HttpHeaders headers) {
        FunctionError error = completed.error() != null ? completed.error() : FunctionError.of("Error", null);
        String message = error.message() == null || error.message().isBlank() ? "" : ": " + error.message();
        ProblemDetail problem = Problems.of(HttpStatus.BAD_GATEWAY, ProblemTypes.FUNCTION_ERROR,
                "Function '" + completed.functionName() + "' raised " + error.type() + message);
        identify(problem, completed);
        problem.setProperty("errorType", error.type());
        problem.setProperty("errorMessage", error.message());
        problem.setProperty("trace", error.trace() == null ? List.of() : error.trace());
        if (completed.logs() != null && !completed.logs().isEmpty()) {
            problem.setProperty("logs", completed.logs());
        }
        headers.set(FUNCTION_ERROR, UNHANDLED);
        return problem(problem, headers);
    }

    private static ProblemDetail platformError(InvocationCompleted completed) {
        String reason = completed.error() != null && completed.error().message() != null
                ? completed.error().message() : "no reason given";
        ProblemDetail problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.PLATFORM_ERROR,
                "The platform could not run function '" + completed.functionName() + "': " + reason);
        identify(problem, completed);
        return problem;
    }

    private static ProblemDetail timedOut(InvocationCompleted completed) {
        String reason = completed.error() != null && completed.error().message() != null
                ? ": " + completed.error().message() : "";
        ProblemDetail problem = Problems.of(HttpStatus.GATEWAY_TIMEOUT, ProblemTypes.FUNCTION_TIMEOUT,
                "Function '" + completed.functionName() + "' did not finish within its timeout" + reason);
        identify(problem, completed);
        if (completed.logs() != null && !completed.logs().isEmpty()) {
            problem.setProperty("logs", completed.logs());
        }
        return problem;
    }

    private static ProblemDetail notFinal(InvocationCompleted completed) {
        ProblemDetail problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.PLATFORM_ERROR,
                "The scheduler answered before invocation " + completed.invocationId() + " finished (status "
                        + completed.status() + ").");
        identify(problem, completed);
        return problem;
    }

    private static void identify(ProblemDetail problem, InvocationCompleted completed) {
        problem.setProperty("invocationId", completed.invocationId());
        problem.setProperty("functionName", completed.functionName());
        problem.setProperty("version", completed.version());
    }

    private static HttpHeaders headers(InvocationCompleted completed) {
        var headers = new HttpHeaders();
        if (completed.invocationId() != null) {
            headers.set(INVOCATION_ID, completed.invocationId().toString());
        }
        headers.set(STATUS, completed.status().name());
        headers.set(VERSION, Integer.toString(completed.version()));
        headers.set(DURATION_MS, Long.toString(completed.durationMs()));
        if (completed.startType() != null) {
            headers.set(START, completed.startType().label());
        }
        return headers;
    }

    private static ResponseEntity<ProblemDetail> problem(ProblemDetail problem, HttpHeaders headers) {
        return ResponseEntity.status(problem.getStatus())
                .headers(headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}

package io.cloudfunc.registry.problem;

import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.registry.RegistryProperties;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers every failure with a problem detail whose {@code type} comes from {@link ProblemTypes}: the registry's
 * own {@link ProblemException}s, the framework's errors (unknown path, wrong method, unreadable body, upload too
 * large, ...) and, as 500, anything unexpected, without exposing exception details.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final RegistryProperties properties;

    ProblemHandler(RegistryProperties properties) {
        this.properties = properties;
    }

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> handleProblem(ProblemException problem) {
        return ResponseEntity.status(problem.status()).body(problem.toProblemDetail());
    }

    /** The database is unreachable: a failure of the platform that a retry may get past, not of the request. */
    @ExceptionHandler({DataAccessResourceFailureException.class, CannotCreateTransactionException.class})
    ResponseEntity<ProblemDetail> handleDatabaseUnavailable(Exception exception) {
        log.error("Database unavailable: {}", exception.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "the registry's database is unavailable; retry later");
        problem.setType(ProblemTypes.PLATFORM_ERROR);
        problem.setTitle("Service unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(problem);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception exception) {
        log.error("Unexpected failure while handling a request", exception);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "the registry failed to handle the request; see its log");
        problem.setType(ProblemTypes.PLATFORM_ERROR);
        problem.setTitle("Internal error");
        return ResponseEntity.internalServerError().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
                JsonProblems.describe("the request body", ex.getCause()));
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = ex.getPropertyName() == null ? "a parameter" : "'" + ex.getPropertyName() + "'";
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
                "invalid value '" + ex.getValue() + "' for " + name);
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // The servlet container does not say which limit was hit; the archive's is the one that matters.
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
                "the upload is larger than the code archive limit of "
                        + ProblemException.describeSize(properties.maxArchiveSize().toBytes()));
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    /** Gives the framework's problem details a CloudFunc type and title where they have none. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
                problem.setType(typeFor(statusCode));
            }
            if (statusCode.is5xxServerError()) {
                log.error("Failure while handling a request", ex);
            }
        }
        return response;
    }

    private static URI typeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 404 -> ProblemTypes.NOT_FOUND;
            case 405 -> ProblemTypes.METHOD_NOT_ALLOWED;
            case 413 -> ProblemTypes.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemTypes.UNSUPPORTED_MEDIA_TYPE;
            default -> status.is4xxClientError() ? ProblemTypes.INVALID_REQUEST : ProblemTypes.PLATFORM_ERROR;
        };
    }
}

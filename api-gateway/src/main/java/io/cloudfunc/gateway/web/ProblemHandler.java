package io.cloudfunc.gateway.web;

import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.gateway.GatewayProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Renders every error as an RFC 9457 problem detail with a CloudFunc type. Spring MVC's own errors (unknown path,
 * wrong method, wrong media type, oversized upload) keep Spring's status and get our type and plain words.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final GatewayProperties properties;

    ProblemHandler(GatewayProperties properties) {
        this.properties = properties;
    }

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> handleProblem(ProblemException e) {
        ProblemDetail problem = e.problem();
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** A malformed multipart body (no boundary, truncated, too many parts). */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> handleMultipart(MultipartException e) {
        return handleProblem(Problems.invalidRequest(
                "The multipart/form-data body could not be read: it is malformed or has too many parts."));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception e) {
        log.error("Unexpected error", e);
        ProblemDetail problem = Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.PLATFORM_ERROR,
                "The gateway failed unexpectedly; the error is in its log.");
        return ResponseEntity.internalServerError().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            Problems.retype(problem, statusCode.value());
            String detail = detailFor(ex);
            if (detail != null) {
                problem.setDetail(detail);
            }
            return ResponseEntity.status(response.getStatusCode())
                    .headers(response.getHeaders())
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem);
        }
        return response;
    }

    private String uploadTooLarge(MaxUploadSizeExceededException e) {
        // Tomcat reports too many parts through the same exception; only its cause tells them apart.
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
        if (cause.getClass().getSimpleName().contains("FileCount")) {
            return "The multipart body has too many parts.";
        }
        return "The upload is too large: a code archive may be at most " + properties.maxArchiveSize().toMegabytes()
                + " MB.";
    }

    private String detailFor(Exception ex) {
        return switch (ex) {
            case MaxUploadSizeExceededException e -> uploadTooLarge(e);
            case HttpMessageNotReadableException e -> "The request body is not valid JSON of the expected shape.";
            case NoResourceFoundException e -> "No such path: /" + e.getResourcePath() + ".";
            case HttpMediaTypeNotSupportedException e -> "Content type " + e.getContentType()
                    + " is not accepted here; use " + e.getSupportedMediaTypes() + ".";
            default -> null;
        };
    }
}

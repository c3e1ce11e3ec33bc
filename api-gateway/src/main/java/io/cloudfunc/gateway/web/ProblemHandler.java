package io.cloudfunc.gateway.web;

import io.cloudfunc.gateway.GatewayProperties;
import io.cloudfunc.support.problem.ProblemErrorController;
import io.cloudfunc.support.problem.ProblemResponses;
import io.cloudfunc.support.problem.Problems;
import org.springframework.context.annotation.Import;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * Renders every error as an RFC 9457 problem detail with a CloudFunc type ({@link ProblemResponses}), in the
 * gateway's words for oversized uploads, malformed multipart or JSON bodies and wrong media types.
 */
@RestControllerAdvice
@Import(ProblemErrorController.class)
class ProblemHandler extends ProblemResponses {

    private final GatewayProperties properties;

    ProblemHandler(GatewayProperties properties) {
        super("gateway");
        this.properties = properties;
    }

    /** A malformed multipart body (no boundary, truncated, too many parts). */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> handleMultipart(MultipartException e) {
        return handleProblem(Problems.invalidRequest(
                "The multipart/form-data body could not be read: it is malformed or has too many parts."));
    }

    @Override
    protected String detailFor(Exception ex) {
        return switch (ex) {
            case MaxUploadSizeExceededException e -> uploadTooLarge(e);
            case HttpMessageNotReadableException e -> "The request body is not valid JSON of the expected shape.";
            case HttpMediaTypeNotSupportedException e -> "Content type " + e.getContentType()
                    + " is not accepted here; use " + e.getSupportedMediaTypes() + ".";
            default -> super.detailFor(ex);
        };
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
}

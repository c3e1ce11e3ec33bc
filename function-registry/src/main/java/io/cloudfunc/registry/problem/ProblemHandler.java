package io.cloudfunc.registry.problem;

import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.registry.RegistryProperties;
import io.cloudfunc.support.problem.JsonProblems;
import io.cloudfunc.support.problem.ProblemResponses;
import io.cloudfunc.support.problem.Problems;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/**
 * Answers every failure with a problem detail whose {@code type} comes from {@link ProblemTypes}
 * ({@link ProblemResponses}): the registry's own problems, the framework's errors (unknown path, wrong method,
 * unreadable body, upload too large, ...) in the registry's words, an unreachable database (or a connection it took
 * away mid-request) as a 503 and, as 500,
 * anything unexpected, without exposing exception details.
 */
@RestControllerAdvice
class ProblemHandler extends ProblemResponses {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final RegistryProperties properties;
    private final DataSource dataSource;

    ProblemHandler(RegistryProperties properties, DataSource dataSource) {
        super("registry");
        this.properties = properties;
        this.dataSource = dataSource;
    }

    /** The database is unreachable: a failure of the platform that a retry may get past, not of the request. */
    @ExceptionHandler({DataAccessResourceFailureException.class, CannotCreateTransactionException.class})
    ResponseEntity<ProblemDetail> handleDatabaseUnavailable(Exception exception) {
        log.error("Database unavailable: {}", exception.getMessage());
        return respond(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.PLATFORM_ERROR,
                "the registry's database is unavailable; retry later"));
    }

    /**
     * A value the database refuses (SQLState class 22: out of range, invalid character or escape) came with the
     * request: a 400, so that a caller that retries on 5xx (the container-manager) never loops on it. Any other
     * database failure is unexpected.
     */
    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<ProblemDetail> handleDataAccess(DataAccessException exception) {
        if (DataExceptions.isConnectionFailure(exception) || !databaseReachable()) {
            return handleDatabaseUnavailable(exception);
        }
        if (!DataExceptions.isDataException(exception)) {
            return handleUnexpected(exception);
        }
        log.warn("Refused a value the database cannot store: {}", exception.getMostSpecificCause().getMessage());
        return respond(Problems.of(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST,
                "the request holds a value the database cannot store (a number or date out of range, or an "
                        + "invalid character)"));
    }

    /** A commit or rollback that failed: a 503 when the database connection was lost under it, else unexpected. */
    @ExceptionHandler(TransactionException.class)
    ResponseEntity<ProblemDetail> handleTransaction(TransactionException exception) {
        return DataExceptions.isConnectionFailure(exception) || !databaseReachable()
                ? handleDatabaseUnavailable(exception) : handleUnexpected(exception);
    }

    /**
     * Whether the pool can hand out a working connection now (at most the pool's connection timeout, 2 s). Asked only
     * after a database failure that does not say what it is: a connection the database took away mid-request fails
     * its rollback with a bare "connection is closed", and that is the database being down, not a bug.
     */
    private boolean databaseReachable() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** In the registry's own words, as it always answered. */
    @Override
    protected ProblemDetail unexpected() {
        return Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.PLATFORM_ERROR,
                "the registry failed to handle the request; see its log");
    }

    @Override
    protected String detailFor(Exception ex) {
        return switch (ex) {
            case HttpMessageNotReadableException e -> JsonProblems.describe("the request body", e.getCause());
            case TypeMismatchException e -> "invalid value '" + e.getValue() + "' for "
                    + (e.getPropertyName() == null ? "a parameter" : "'" + e.getPropertyName() + "'");
            // The servlet container does not say which limit was hit; the archive's is the one that matters.
            case MaxUploadSizeExceededException e -> "the upload is larger than the code archive limit of "
                    + RegistryProblems.describeSize(properties.maxArchiveSize().toBytes());
            default -> null;
        };
    }
}

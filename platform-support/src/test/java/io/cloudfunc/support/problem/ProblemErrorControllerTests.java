package io.cloudfunc.support.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.problem.ProblemTypes;
import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

class ProblemErrorControllerTests {

    private final ProblemErrorController controller = new ProblemErrorController();

    @Test
    void answersTheContainersErrorStatusAsAProblem() {
        ResponseEntity<ProblemDetail> response = errorFor(413);

        assertThat(response.getStatusCode().value()).isEqualTo(413);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody().getType()).isEqualTo(ProblemTypes.PAYLOAD_TOO_LARGE);
        assertThat(response.getBody().getTitle()).isEqualTo("Payload too large");
        assertThat(response.getBody().getDetail()).isEqualTo("Content Too Large");
    }

    @Test
    void answersADirectCallAsNotFound() {
        ResponseEntity<ProblemDetail> response = errorFor(null);

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getBody().getType()).isEqualTo(ProblemTypes.NOT_FOUND);
        assertThat(response.getBody().getDetail()).isEqualTo("Not Found");
    }

    @Test
    void treatsAServerErrorAsAPlatformError() {
        ResponseEntity<ProblemDetail> response = errorFor(500);

        assertThat(response.getStatusCode().value()).isEqualTo(500);
        assertThat(response.getBody().getType()).isEqualTo(ProblemTypes.PLATFORM_ERROR);
        assertThat(response.getBody().getTitle()).isEqualTo("Platform error");
    }

    /** {@code /error} as the servlet container forwards to it, with the status it chose (null: called directly). */
    private ResponseEntity<ProblemDetail> errorFor(Integer status) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
        if (status != null) {
            request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
        }
        return controller.error(request);
    }
}

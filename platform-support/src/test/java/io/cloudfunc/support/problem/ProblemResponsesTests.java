package io.cloudfunc.support.problem;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.cloudfunc.contracts.problem.ProblemTypes;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** The shared advice in front of a small controller, through Spring MVC (standalone, no server). */
class ProblemResponsesTests {

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new Endpoints())
            .setControllerAdvice(new ServiceResponses())
            .build();

    @Test
    void answersAProblemExceptionWithItsProblem() throws Exception {
        problem(mvc.perform(get("/functions/nosuch")), 404, ProblemTypes.FUNCTION_NOT_FOUND)
                .andExpect(jsonPath("$.title").value("Function not found"))
                .andExpect(jsonPath("$.detail").value("no function named 'nosuch'"))
                .andExpect(jsonPath("$.functionName").value("nosuch"));
    }

    @Test
    void answersAnUnexpectedFailureInTheServicesWordsWithoutTheException() throws Exception {
        problem(mvc.perform(get("/boom")), 500, ProblemTypes.PLATFORM_ERROR)
                .andExpect(jsonPath("$.title").value("Platform error"))
                .andExpect(jsonPath("$.detail").value("The test service failed unexpectedly; the error is in its log."))
                .andExpect(content().string(not(containsString("IllegalStateException"))));
    }

    @Test
    void givesAnUnknownPathOurTypeAndTitle() throws Exception {
        problem(mvc.perform(get("/nope")), 404, ProblemTypes.NOT_FOUND)
                .andExpect(jsonPath("$.title").value("Not found"));
    }

    @Test
    void saysWhichPathIsUnknownWhenNoResourceIsFound() throws Exception {
        problem(mvc.perform(get("/static/missing.css")), 404, ProblemTypes.NOT_FOUND)
                .andExpect(jsonPath("$.detail").value("No such path: /static/missing.css."));
    }

    @Test
    void givesAWrongMethodOurTypeAndKeepsTheAllowHeader() throws Exception {
        problem(mvc.perform(post("/functions/x")), 405, ProblemTypes.METHOD_NOT_ALLOWED)
                .andExpect(jsonPath("$.title").value("Method not allowed"))
                .andExpect(header().string("Allow", "GET"));
    }

    @Test
    void givesAWrongMediaTypeOurType() throws Exception {
        problem(mvc.perform(post("/echo").contentType(MediaType.TEXT_PLAIN).content("x")), 415,
                ProblemTypes.UNSUPPORTED_MEDIA_TYPE)
                .andExpect(jsonPath("$.title").value("Unsupported media type"));
    }

    @Test
    void putsAMalformedBodyInTheServicesWords() throws Exception {
        problem(mvc.perform(post("/echo").contentType(MediaType.APPLICATION_JSON).content("{")), 400,
                ProblemTypes.INVALID_REQUEST)
                .andExpect(jsonPath("$.title").value("Invalid request"))
                .andExpect(jsonPath("$.detail").value("The request body is not valid JSON."));
    }

    @Test
    void givesATypeMismatchOurType() throws Exception {
        problem(mvc.perform(get("/versions/abc")), 400, ProblemTypes.INVALID_REQUEST)
                .andExpect(jsonPath("$.detail").value(containsString("abc")));
    }

    @Test
    void givesAMissingPartOurType() throws Exception {
        problem(mvc.perform(multipart("/upload").param("other", "x")), 400, ProblemTypes.INVALID_REQUEST)
                .andExpect(jsonPath("$.detail").value(containsString("code")));
    }

    private static ResultActions problem(ResultActions result, int status, URI type) throws Exception {
        return result.andExpect(status().is(status))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(jsonPath("$.type").value(type.toString()));
    }

    @RestController
    static class Endpoints {

        @GetMapping("/functions/{name}")
        String function(@PathVariable String name) {
            throw new ProblemException(Problems.of(HttpStatus.NOT_FOUND, ProblemTypes.FUNCTION_NOT_FOUND,
                    "no function named '" + name + "'")).with("functionName", name);
        }

        @GetMapping("/boom")
        String boom() {
            throw new IllegalStateException("internal detail that must not leak");
        }

        @GetMapping("/static/{file}")
        String resource(@PathVariable String file) throws NoResourceFoundException {
            throw new NoResourceFoundException(HttpMethod.GET, "/static/" + file, "static/" + file);
        }

        @PostMapping(path = "/echo", consumes = MediaType.APPLICATION_JSON_VALUE)
        Map<String, Object> echo(@RequestBody Map<String, Object> body) {
            return body;
        }

        @GetMapping("/versions/{version}")
        int version(@PathVariable int version) {
            return version;
        }

        @PostMapping("/upload")
        String upload(@RequestPart("code") MultipartFile code) {
            return code.getName();
        }
    }

    /** A service's advice, with its own detail for an unreadable body. */
    @RestControllerAdvice
    static class ServiceResponses extends ProblemResponses {

        ServiceResponses() {
            super("test service");
        }

        @Override
        protected String detailFor(Exception ex) {
            return ex instanceof HttpMessageNotReadableException
                    ? "The request body is not valid JSON." : super.detailFor(ex);
        }
    }
}

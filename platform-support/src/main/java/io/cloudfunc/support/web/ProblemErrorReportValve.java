package io.cloudfunc.support.web;

import io.cloudfunc.support.problem.Problems;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's last word on an error, as a problem detail instead of its HTML page. It only speaks for errors Tomcat
 * raised itself before any servlet ran, e.g. a URI with an encoded slash ({@code /functions/a%2Fb}) or a broken
 * escape ({@code %ZZ}), which never reach Spring MVC or the {@code /error} controller. The detail is generic: Tomcat's
 * own message may name its internals.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // As the base valve: nothing below 400, nothing once a body was written, only for an error not yet reported.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            String body = body(status);
            response.setContentLength(body.getBytes(StandardCharsets.UTF_8).length);
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response cannot take a body any more: nothing left to tell anyone.
        }
    }

    /** The problem as JSON; every string in it is ours, so none needs escaping. */
    static String body(int status) {
        URI type = Problems.typeFor(status);
        String title = Problems.of(HttpStatus.valueOf(validStatus(status)), type, "").getTitle();
        return "{\"type\":\"" + type + "\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                + detail(status) + "\"}";
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "The request could not be parsed: its request line, path or headers are malformed "
                    + "(for example an invalid %-escape or an encoded '/' in the path).";
            case 404 -> "No such path.";
            case 413, 431 -> "The request could not be parsed: it is too large.";
            default -> status >= 500 ? "The server failed to handle the request; the error is in its log."
                    : "The request could not be handled (HTTP status " + status + ").";
        };
    }

    private static int validStatus(int status) {
        return HttpStatus.resolve(status) != null ? status : (status >= 500 ? 500 : 400);
    }
}

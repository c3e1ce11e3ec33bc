package io.cloudfunc.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class InternalRequestObservationsTests {

    private final ObservationPredicate predicate = new InternalRequestObservations().noInternalRequestObservations();

    @Test
    void skipsRequestsToInternalApis() {
        assertThat(predicate.test("http.server.requests", server("", "/internal/functions/echo/invoke"))).isFalse();
        assertThat(predicate.test("http.server.requests", server("/app", "/app/internal/invocations/batch")))
                .isFalse();
    }

    @Test
    void skipsClientRequestsToInternalApis() {
        assertThat(predicate.test("http.client.requests",
                client("http://registry:7000/internal/invocations/completions"))).isFalse();
        assertThat(predicate.test("http.client.requests", client("http://example.com/hooks/internal/done")))
                .isTrue();
        assertThat(predicate.test("http.client.requests", client("http://example.com/callback"))).isTrue();
    }

    @Test
    void observesPublicAndActuatorRequestsAndEverythingElse() {
        assertThat(predicate.test("http.server.requests", server("", "/functions/echo/invoke"))).isTrue();
        assertThat(predicate.test("http.server.requests", server("", "/actuator/prometheus"))).isTrue();
        assertThat(predicate.test("http.server.requests", server("", "/internalish"))).isTrue();
        assertThat(predicate.test("http.server.requests", server("/internal", "/internal/keys"))).isTrue();
        assertThat(predicate.test("custom", new Observation.Context())).isTrue();
    }

    private static ClientRequestObservationContext client(String uri) {
        return new ClientRequestObservationContext(new MockClientHttpRequest(HttpMethod.PUT, URI.create(uri)));
    }

    private static ServerRequestObservationContext server(String contextPath, String uri) {
        var request = new MockHttpServletRequest("POST", uri);
        request.setContextPath(contextPath);
        return new ServerRequestObservationContext(request, new MockHttpServletResponse());
    }
}

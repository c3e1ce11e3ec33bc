package io.cloudfunc.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Base of the integration tests: the whole registry on a random port, against a fresh database and vhost of the
 * local PostgreSQL and RabbitMQ ({@link LocalServices}), with small archive limits so that the limits are cheap to
 * hit.
 */
@ExtendWith(LocalServices.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "registry.max-archive-size=1MB",
        "registry.max-unpacked-size=2MB",
        "spring.rabbitmq.host=127.0.0.1",
        "spring.rabbitmq.port=5672",
        // a fixed test key (base64 of 32 bytes), so that no key file is written to the home directory
        "registry.secrets.key=" + RegistryIntegrationTest.SECRETS_KEY})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class RegistryIntegrationTest {

    protected static final String SECRETS_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    @LocalServerPort
    private int port;

    protected RestTestClient http;

    @DynamicPropertySource
    static void localServices(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", LocalServices::jdbcUrl);
        registry.add("spring.rabbitmq.virtual-host", LocalServices::vhost);
    }

    @BeforeEach
    void httpClient() {
        http = RestTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }

    /** Asserts the answer is a problem detail of the given status and type; returns its body for more checks. */
    protected static RestTestClient.BodyContentSpec assertProblem(RestTestClient.ResponseSpec response, int status,
            URI type) {
        return response.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(type.toString())
                .jsonPath("$.status").isEqualTo(status)
                .jsonPath("$.title").isNotEmpty()
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail)
                        .doesNotContain("Exception").doesNotContain("io.cloudfunc").doesNotContain("\tat "));
    }
}

package io.cloudfunc.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.InvocationStarted;
import io.cloudfunc.contracts.invocation.RetryScheduled;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.contracts.messaging.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.json.JsonMapper;

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
        // records of months ago are common in these tests: the reconciliation would end the unfinished ones
        // (AbandonedInvocationsIT sets its own interval)
        "registry.invocations.reconcile-interval=1d",
        // and the retention and the rollup would delete or move them (their tests call them directly)
        "registry.invocations.retention.interval=1d",
        "registry.series.rollup-interval=1d",
        // a fixed test key (base64 of 32 bytes), so that no key file is written to the home directory
        "registry.secrets.key=" + RegistryIntegrationTest.SECRETS_KEY})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class RegistryIntegrationTest {

    protected static final String SECRETS_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    @LocalServerPort
    private int port;

    protected RestTestClient http;

    @Autowired
    private RabbitTemplate rabbit;
    @Autowired
    private MeterRegistry meters;
    @Autowired
    private JsonMapper recordsJson;

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

    /**
     * Publishes the records as one {@code InvocationRecords} message to {@code cloudfunc.records}, as the services
     * do, and returns once the registry has processed every one of them (applied, or dropped as invalid).
     */
    protected void record(InvocationRecords records) {
        publishRecords(recordsJson.writeValueAsBytes(records), records.size());
    }

    protected void recordCreated(CreateInvocation... created) {
        record(new InvocationRecords(List.of(created), null, null, null));
    }

    protected void recordStarted(InvocationStarted... started) {
        record(new InvocationRecords(null, List.of(started), null, null));
    }

    protected void recordRetried(RetryScheduled... retried) {
        record(new InvocationRecords(null, null, List.of(retried), null));
    }

    protected void recordCompleted(InvocationCompleted... completed) {
        record(new InvocationRecords(null, null, null, List.of(completed)));
    }

    /**
     * Publishes {@code body} as an {@code InvocationRecords} message and returns once the registry has processed
     * {@code records} more records (an unreadable message counts as one).
     */
    protected void publishRecords(byte[] body, int records) {
        double before = processedRecords();
        sendRecords(body);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (processedRecords() < before + records) {
            assertThat(System.nanoTime()).as("the registry processed the records within 15 s").isLessThan(deadline);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Publishes {@code body} as an {@code InvocationRecords} message, and returns at once. */
    protected void sendRecords(byte[] body) {
        var properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setType(Topology.TYPE_INVOCATION_RECORDS);
        rabbit.send("", Topology.RECORDS_QUEUE, new Message(body, properties));
    }

    /** Records the registry applied or dropped so far. */
    protected double processedRecords() {
        return recordsCounted("applied") + recordsCounted("dropped");
    }

    protected double recordsCounted(String outcome) {
        Counter counter = meters.find("cloudfunc.records").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}

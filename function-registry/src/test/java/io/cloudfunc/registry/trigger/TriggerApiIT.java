package io.cloudfunc.registry.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.contracts.trigger.TriggerDefinition;
import io.cloudfunc.contracts.trigger.TriggerKind;
import io.cloudfunc.contracts.trigger.TriggerView;
import io.cloudfunc.registry.RegistryIntegrationTest;
import io.cloudfunc.registry.function.Zips;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.LinkedMultiValueMap;

/** Queue triggers over the registry's internal API, against the real PostgreSQL. */
class TriggerApiIT extends RegistryIntegrationTest {

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void createsListsAndDeletesTriggersWithTheirUrlSealedAndMasked() {
        deploy("trig-crud");
        TriggerView created = create("trig-crud", """
                {"name":"orders","kind":"rabbitmq","source":"orders","url":"amqp://app:s3cr3t@mq.example:5672/shop",
                 "concurrency":4,"deadLetter":"orders.dead"}""").expectStatus().isCreated()
                .expectHeader().location("/internal/functions/trig-crud/triggers/orders")
                .expectBody(TriggerView.class).returnResult().getResponseBody();
        assertThat(created.function()).isEqualTo("trig-crud");
        assertThat(created.kind()).isEqualTo("rabbitmq");
        assertThat(created.url()).isEqualTo("amqp://app:***@mq.example:5672/shop");
        assertThat(created.concurrency()).isEqualTo(4);
        assertThat(created.deadLetter()).isEqualTo("orders.dead");
        assertThat(created.deliveries()).isZero();
        assertThat(created.lastDeliveryAt()).isNull();

        TriggerView generated = create("trig-crud", "{\"kind\":\"nats\",\"source\":\"events.>\"}")
                .expectStatus().isCreated().expectBody(TriggerView.class).returnResult().getResponseBody();
        assertThat(generated.name()).startsWith("nats-");
        assertThat(generated.url()).isNull();
        assertThat(generated.concurrency()).isEqualTo(1);

        String listed = http.get().uri("/internal/functions/trig-crud/triggers").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(listed).contains("app:***@").doesNotContain("s3cr3t");
        byte[] stored = jdbc.queryForObject("select url_sealed from triggers where name = 'orders'", byte[].class);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t");

        List<TriggerDefinition> definitions = http.get().uri("/internal/triggers").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<TriggerDefinition>>() { }).returnResult()
                .getResponseBody();
        assertThat(definitions).contains(new TriggerDefinition("trig-crud", "orders", TriggerKind.RABBITMQ, "orders",
                "amqp://app:s3cr3t@mq.example:5672/shop", 4, "orders.dead"));

        assertProblem(create("trig-crud", "{\"name\":\"orders\",\"kind\":\"rabbitmq\",\"source\":\"x\"}"), 409,
                ProblemTypes.TRIGGER_EXISTS);

        http.delete().uri("/internal/functions/trig-crud/triggers/orders").exchange().expectStatus().isNoContent();
        assertProblem(http.get().uri("/internal/functions/trig-crud/triggers/orders").exchange(), 404,
                ProblemTypes.TRIGGER_NOT_FOUND);
        assertProblem(http.delete().uri("/internal/functions/trig-crud/triggers/orders").exchange(), 404,
                ProblemTypes.TRIGGER_NOT_FOUND);

        http.delete().uri("/internal/functions/trig-crud").exchange().expectStatus().isNoContent();
        assertThat(jdbc.queryForObject("select count(*) from triggers where name = ?", Long.class,
                generated.name())).isZero();
    }

    @Test
    void addsTheSchedulersCountsToTheTotals() {
        deploy("trig-counts");
        create("trig-counts", "{\"name\":\"t\",\"kind\":\"mqtt\",\"source\":\"sensors/+/temp\"}")
                .expectStatus().isCreated();
        Instant first = Instant.parse("2026-12-07T20:00:00Z");
        Instant second = Instant.parse("2026-12-07T20:01:00Z");
        counts("""
                [{"function":"trig-counts","name":"t","deliveries":3,"failures":1,"lastDeliveryAt":"%s",
                  "lastError":"ValueError: bad","lastErrorAt":"%s"},
                 {"function":"trig-counts","name":"gone","deliveries":5,"failures":0}]""".formatted(second, first));
        counts("""
                [{"function":"trig-counts","name":"t","deliveries":2,"failures":0,"lastDeliveryAt":"%s"}]"""
                .formatted(first));
        TriggerView view = http.get().uri("/internal/functions/trig-counts/triggers/t").exchange()
                .expectStatus().isOk().expectBody(TriggerView.class).returnResult().getResponseBody();
        assertThat(view.deliveries()).isEqualTo(5);
        assertThat(view.failures()).isEqualTo(1);
        assertThat(view.lastDeliveryAt()).isEqualTo(second);
        assertThat(view.lastError()).isEqualTo("ValueError: bad");
    }

    @Test
    void refusesBadInputWithProblems() {
        deploy("trig-bad");
        for (String body : List.of(
                "{\"kind\":\"kafka\",\"source\":\"x\"}",
                "{\"kind\":\"rabbitmq\"}",
                "{\"kind\":\"rabbitmq\",\"source\":\"amq.gen-1\"}",
                "{\"kind\":\"rabbitmq\",\"source\":\"q\",\"url\":\"http://host/\"}",
                "{\"kind\":\"rabbitmq\",\"source\":\"q\",\"url\":\"amqp://user:pw@/\"}",
                "{\"kind\":\"mqtt\",\"source\":\"a/#/b\"}",
                "{\"kind\":\"mqtt\",\"source\":\"a/b\",\"deadLetter\":\"dead/+\"}",
                "{\"kind\":\"mqtt\",\"source\":\"a\",\"url\":\"nats://host:4222\"}",
                "{\"kind\":\"nats\",\"source\":\"a..b\"}",
                "{\"kind\":\"nats\",\"source\":\"a.>.b\"}",
                "{\"kind\":\"nats\",\"source\":\"a\",\"concurrency\":0}",
                "{\"kind\":\"nats\",\"source\":\"a\",\"concurrency\":65}",
                "{\"kind\":\"nats\",\"source\":\"a\",\"name\":\"Bad Name\"}",
                "{\"kind\":\"nats\",\"source\":\"a\",\"colour\":\"red\"}",
                "not json")) {
            assertProblem(create("trig-bad", body), 400, ProblemTypes.INVALID_REQUEST);
        }
        String detail = create("trig-bad", "{\"kind\":\"rabbitmq\",\"source\":\"q\",\"url\":\"ftp://u:hunter2@h/\"}")
                .expectStatus().isBadRequest().expectBody(String.class).returnResult().getResponseBody();
        assertThat(detail).doesNotContain("hunter2");
        assertProblem(create("nobody", "{\"kind\":\"rabbitmq\",\"source\":\"q\"}"), 404,
                ProblemTypes.FUNCTION_NOT_FOUND);
        assertProblem(http.get().uri("/internal/functions/nobody/triggers").exchange(), 404,
                ProblemTypes.FUNCTION_NOT_FOUND);
    }

    private RestTestClient.ResponseSpec create(String function, String body) {
        return http.post().uri("/internal/functions/" + function + "/triggers").contentType(MediaType.APPLICATION_JSON)
                .body(body).exchange();
    }

    private void counts(String body) {
        http.post().uri("/internal/triggers/counts").contentType(MediaType.APPLICATION_JSON).body(body).exchange()
                .expectStatus().isNoContent();
    }

    private void deploy(String name) {
        var parts = new LinkedMultiValueMap<String, Object>();
        var json = new HttpHeaders();
        json.setContentType(MediaType.APPLICATION_JSON);
        parts.add("metadata", new HttpEntity<>("{\"name\":\"" + name + "\"}", json));
        var zip = new HttpHeaders();
        zip.setContentType(MediaType.parseMediaType("application/zip"));
        zip.setContentDispositionFormData("code", "code.zip");
        parts.add("code", new HttpEntity<>(Zips.helloFunction(), zip));
        http.post().uri("/internal/functions").contentType(MediaType.MULTIPART_FORM_DATA).body(parts).exchange()
                .expectStatus().isCreated();
    }
}

package io.cloudfunc.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document the gateway serves: every public endpoint described, and docs/openapi.json its exact copy.
 * When the copy is stale the test writes the current document there and fails, so that the change is committed.
 */
class OpenApiDocumentIT extends GatewayIntegrationTest {

    private static final Path COMMITTED = Path.of("..", "docs", "openapi.json");
    private static final JsonMapper PRETTY = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    @Test
    void describesEveryPublicOperationWithASummaryAndProblemAnswers() throws Exception {
        JsonNode document = JSON.readTree(get("/v3/api-docs").body());

        assertThat(document.path("openapi").asString()).startsWith("3.");
        List<String> operations = new ArrayList<>();
        for (var path : document.path("paths").properties()) {
            for (var operation : path.getValue().properties()) {
                String name = operation.getKey().toUpperCase() + " " + path.getKey();
                operations.add(name);
                assertThat(operation.getValue().path("summary").asString()).as(name).isNotBlank();
            }
        }
        assertThat(operations).contains("POST /functions", "GET /functions", "GET /functions/{name}",
                "PUT /functions/{name}", "DELETE /functions/{name}", "GET /functions/{name}/versions",
                "POST /functions/{name}/versions/{version}/redeploy",
                "GET /functions/{name}/aliases", "GET /functions/{name}/aliases/{alias}",
                "PUT /functions/{name}/aliases/{alias}", "DELETE /functions/{name}/aliases/{alias}",
                "POST /functions/{ref}/invoke", "GET /invocations/{id}", "GET /stats", "GET /functions/{name}/stats",
                "GET /instances", "DELETE /instances/{id}", "POST /images", "GET /images",
                "GET /functions/{name}/invocations", "GET /dead-letters", "GET /invocations/{id}/logs",
                "GET /functions/{name}/logs", "POST /keys", "GET /keys", "GET /keys/current", "GET /keys/{id}",
                "DELETE /keys/{id}", "GET /stats/functions/{name}", "GET /stats/series", "GET /stats/series/nodes",
                "GET /health", "GET /metrics", "POST /functions/{name}/schedules", "GET /functions/{name}/schedules",
                "POST /functions/{name}/schedules/{schedule}/pause", "DELETE /functions/{name}/schedules/{schedule}");
        assertThat(document.path("components").path("securitySchemes").path(ApiDocumentation.BEARER)
                .path("scheme").asString()).isEqualTo("bearer");
        assertThat(document.path("security").get(0).has(ApiDocumentation.BEARER)).isTrue();
        JsonNode health = document.path("paths").path("/health").path("get");
        assertThat(health.path("security").isArray() && health.path("security").isEmpty()).as("public").isTrue();
        assertThat(health.path("responses").has("401")).isFalse();
        assertThat(document.path("paths").path("/keys").path("post").path("responses").path("401").path("content")
                .has("application/problem+json")).isTrue();
        assertThat(document.path("paths").path("/functions").path("post").path("requestBody").path("content")
                .path("application/json").path("examples").path("hello").path("value").path("code").asString())
                .isEqualTo(ApiDocumentation.HELLO_SOURCE);
        assertThat(document.path("components").path("schemas").path("Problem").isObject()).isTrue();
        assertThat(document.path("paths").path("/functions/{name}").path("get").path("responses").path("404")
                .path("content").has("application/problem+json")).isTrue();
    }

    @Test
    void servesSwaggerUi() throws Exception {
        var page = send(request("/swagger-ui/index.html").GET());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(text(page)).containsIgnoringCase("swagger");
        assertThat(get("/swagger-ui.html").statusCode()).isIn(200, 302);
    }

    @Test
    void committedDocumentIsCurrent() throws Exception {
        var response = get("/v3/api-docs");
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        JsonNode document = PRETTY.readTree(response.body());
        assertThat(document.path("openapi").isString()).isTrue();
        String served = PRETTY.writeValueAsString(document) + "\n";
        String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
        if (!served.equals(committed)) {
            Files.writeString(COMMITTED, served, StandardCharsets.UTF_8);
        }
        assertThat(committed).as("docs/openapi.json was stale and has been rewritten: review and commit it")
                .isEqualTo(served);
    }
}

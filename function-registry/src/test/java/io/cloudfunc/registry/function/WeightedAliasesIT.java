package io.cloudfunc.registry.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.cloudfunc.contracts.function.AliasView;
import io.cloudfunc.contracts.function.AliasWeight;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.registry.RegistryIntegrationTest;
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
import org.springframework.util.MultiValueMap;

/** Weighted aliases (traffic split between versions) through the internal API, on PostgreSQL. */
class WeightedAliasesIT extends RegistryIntegrationTest {

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void anAliasSplitsBetweenVersionsByWeightAndOneVersionEndsTheSplit() {
        deployVersions("canary", 3);

        AliasView split = put("/internal/functions/canary/aliases/prod",
                "{\"weights\":[{\"version\":2,\"weight\":90},{\"version\":3,\"weight\":10}]}")
                .expectStatus().isCreated().expectBody(AliasView.class).returnResult().getResponseBody();
        assertThat(split.version()).isEqualTo(2);
        assertThat(split.weights()).containsExactly(new AliasWeight(2, 90), new AliasWeight(3, 10));
        // the alias resolves to its main version where one version is asked for (describe, versions)
        assertThat(version("canary", "prod").version()).isEqualTo(2);

        AliasView read = http.get().uri("/internal/functions/canary/aliases/prod").exchange().expectStatus().isOk()
                .expectBody(AliasView.class).returnResult().getResponseBody();
        assertThat(read.weights()).containsExactly(new AliasWeight(2, 90), new AliasWeight(3, 10));

        AliasView three = put("/internal/functions/canary/aliases/prod",
                "{\"weights\":[{\"version\":3,\"weight\":50},{\"version\":1,\"weight\":25},"
                        + "{\"version\":2,\"weight\":25}]}")
                .expectStatus().isOk().expectBody(AliasView.class).returnResult().getResponseBody();
        assertThat(three.version()).isEqualTo(3);
        assertThat(three.weights()).extracting(AliasWeight::version, AliasWeight::weight)
                .containsExactly(tuple(3, 50), tuple(1, 25), tuple(2, 25));

        AliasView single = put("/internal/functions/canary/aliases/prod", "{\"version\":3}")
                .expectStatus().isOk().expectBody(AliasView.class).returnResult().getResponseBody();
        assertThat(single.weights()).containsExactly(new AliasWeight(3, 100));
        assertThat(weightRows("canary")).isZero();

        // a split of one version at 100 is the same as pointing at it
        put("/internal/functions/canary/aliases/beta", "{\"weights\":[{\"version\":1,\"weight\":100}]}")
                .expectStatus().isCreated();
        List<AliasView> all = http.get().uri("/internal/functions/canary/aliases").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<AliasView>>() { }).returnResult().getResponseBody();
        assertThat(all).extracting(AliasView::alias, AliasView::version, AliasView::weights).containsExactly(
                tuple("beta", 1, List.of(new AliasWeight(1, 100))),
                tuple("prod", 3, List.of(new AliasWeight(3, 100))));
    }

    @Test
    void badSplitsAreRefusedAndLeaveTheAliasAsItWas() {
        deployVersions("split-errors", 2);
        put("/internal/functions/split-errors/aliases/prod", "{\"version\":1}").expectStatus().isCreated();

        assertProblem(put("/internal/functions/split-errors/aliases/prod",
                "{\"weights\":[{\"version\":1,\"weight\":90},{\"version\":2,\"weight\":20}]}"), 400,
                ProblemTypes.INVALID_REQUEST).jsonPath("$.detail").isEqualTo("the weights sum to 110; they must sum to 100");
        assertProblem(put("/internal/functions/split-errors/aliases/prod",
                "{\"weights\":[{\"version\":1,\"weight\":50},{\"version\":1,\"weight\":50}]}"), 400,
                ProblemTypes.INVALID_REQUEST).jsonPath("$.detail").isEqualTo("version 1 is listed twice in the weights");
        assertProblem(put("/internal/functions/split-errors/aliases/prod",
                "{\"weights\":[{\"version\":1,\"weight\":100},{\"version\":2,\"weight\":0}]}"), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(put("/internal/functions/split-errors/aliases/prod",
                "{\"weights\":[{\"version\":1,\"weight\":90},{\"version\":7,\"weight\":10}]}"), 404,
                ProblemTypes.FUNCTION_NOT_FOUND).jsonPath("$.version").isEqualTo(7);
        assertProblem(put("/internal/functions/split-errors/aliases/prod",
                "{\"version\":1,\"weights\":[{\"version\":1,\"weight\":100}]}"), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(put("/internal/functions/split-errors/aliases/prod", "{\"weights\":[]}"), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(put("/internal/functions/split-errors/aliases/prod",
                "{\"weights\":[{\"version\":1}]}"), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(put("/internal/functions/split-errors/aliases/prod",
                "{\"weights\":[{\"version\":1,\"weight\":20},{\"version\":2,\"weight\":20},{\"version\":3,"
                        + "\"weight\":20},{\"version\":4,\"weight\":20},{\"version\":5,\"weight\":20}]}"), 400,
                ProblemTypes.INVALID_REQUEST).jsonPath("$.detail")
                .isEqualTo("an alias splits its calls between at most 4 versions, not 5");

        AliasView unchanged = http.get().uri("/internal/functions/split-errors/aliases/prod").exchange()
                .expectStatus().isOk().expectBody(AliasView.class).returnResult().getResponseBody();
        assertThat(unchanged.weights()).containsExactly(new AliasWeight(1, 100));
        assertThat(weightRows("split-errors")).isZero();
    }

    @Test
    void deletingASplitAliasOrItsFunctionRemovesItsWeights() {
        deployVersions("split-gone", 2);
        String split = "{\"weights\":[{\"version\":1,\"weight\":70},{\"version\":2,\"weight\":30}]}";
        put("/internal/functions/split-gone/aliases/prod", split).expectStatus().isCreated();
        put("/internal/functions/split-gone/aliases/beta", split).expectStatus().isCreated();
        assertThat(weightRows("split-gone")).isEqualTo(4);

        http.delete().uri("/internal/functions/split-gone/aliases/prod").exchange().expectStatus().isNoContent();
        assertThat(weightRows("split-gone")).isEqualTo(2);
        http.delete().uri("/internal/functions/split-gone").exchange().expectStatus().is2xxSuccessful();
        assertThat(jdbc.queryForObject("select count(*) from alias_weights", Long.class)).isZero();
    }

    private long weightRows(String function) {
        return jdbc.queryForObject("select count(*) from alias_weights w join functions f on f.id = w.function_id "
                + "where f.name = ?", Long.class, function);
    }

    private void deployVersions(String name, int count) {
        for (int i = 1; i <= count; i++) {
            MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
            var json = new HttpHeaders();
            json.setContentType(MediaType.APPLICATION_JSON);
            parts.add("metadata", new HttpEntity<>("{\"name\":\"" + name + "\",\"timeoutMs\":" + (1000 * i) + "}",
                    json));
            var zip = new HttpHeaders();
            zip.setContentType(MediaType.parseMediaType("application/zip"));
            zip.setContentDispositionFormData("code", "code.zip");
            parts.add("code", new HttpEntity<>(Zips.helloFunction(), zip));
            http.post().uri("/internal/functions").contentType(MediaType.MULTIPART_FORM_DATA).body(parts).exchange()
                    .expectStatus().isCreated();
        }
    }

    private RestTestClient.ResponseSpec put(String path, String body) {
        return http.put().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).exchange();
    }

    private FunctionVersionView version(String name, String ref) {
        return http.get().uri("/internal/functions/{name}/versions/{ref}", name, ref).exchange()
                .expectStatus().isOk().expectBody(FunctionVersionView.class).returnResult().getResponseBody();
    }
}

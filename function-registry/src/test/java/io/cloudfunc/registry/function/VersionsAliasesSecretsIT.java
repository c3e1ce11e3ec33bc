package io.cloudfunc.registry.function;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.function.AliasView;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.function.FunctionView;
import io.cloudfunc.contracts.function.HttpAccess;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.registry.RegistryIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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

/** Versions, configuration updates, aliases and secrets through the internal API, on PostgreSQL. */
class VersionsAliasesSecretsIT extends RegistryIntegrationTest {

    private static final String SECRET_VALUE = "s3cr3t-value-7f1c";

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void updateCreatesNewVersionWithSameCodeAndChangedConfig() {
        FunctionView v1 = deployed("{\"name\":\"configured\",\"timeoutMs\":1000,\"env\":{\"A\":\"1\"}}");

        FunctionView v2 = http.put().uri("/internal/functions/configured").contentType(MediaType.APPLICATION_JSON)
                .body("{\"memoryMb\":256}").exchange()
                .expectStatus().isOk().expectBody(FunctionView.class).returnResult().getResponseBody();

        assertThat(v2.latestVersion()).isEqualTo(2);
        assertThat(v2.memoryMb()).isEqualTo(256);
        assertThat(v2.timeoutMs()).isEqualTo(1000);
        assertThat(v2.env()).isEqualTo(Map.of("A", "1"));
        assertThat(v2.codeSha256()).isEqualTo(v1.codeSha256());
        FunctionVersionView old = version("configured", "1");
        assertThat(old.memoryMb()).isEqualTo(128);

        List<FunctionVersionView> versions = http.get().uri("/internal/functions/configured/versions").exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<List<FunctionVersionView>>() { })
                .returnResult().getResponseBody();
        assertThat(versions).extracting(FunctionVersionView::version).containsExactly(2, 1);
    }

    @Test
    void aCpuLimitIsStoredWithEachVersionAndKeptByUpdatesThatDoNotChangeIt() {
        FunctionView v1 = deployed("{\"name\":\"throttled\",\"cpuMillis\":250}");
        assertThat(v1.cpuMillis()).isEqualTo(250);

        FunctionView v2 = put("/internal/functions/throttled", "{\"memoryMb\":256}").expectStatus().isOk()
                .expectBody(FunctionView.class).returnResult().getResponseBody();
        FunctionView v3 = put("/internal/functions/throttled", "{\"cpuMillis\":1500}").expectStatus().isOk()
                .expectBody(FunctionView.class).returnResult().getResponseBody();

        assertThat(v2.cpuMillis()).isEqualTo(250);
        assertThat(v3.cpuMillis()).isEqualTo(1500);
        assertThat(version("throttled", "1").cpuMillis()).isEqualTo(250);
        assertThat(version("throttled", "2").cpuMillis()).isEqualTo(250);
        assertThat(version("throttled", "3").cpuMillis()).isEqualTo(1500);
        assertThat(jdbc.queryForList("select v.cpu_millis from function_versions v join functions f"
                + " on f.id = v.function_id where f.name = 'throttled' order by v.version", Integer.class))
                .containsExactly(250, 250, 1500);
        // no limit of its own: the container-manager's default
        assertThat(deployed("{\"name\":\"unthrottled\"}").cpuMillis()).isNull();
        assertThat(version("unthrottled", "1").cpuMillis()).isNull();
    }

    @Test
    void aCpuLimitBelowDockersFloorOrAboveTheCeilingIsRefused() {
        assertProblem(deploy("{\"name\":\"cpu-floor\",\"cpuMillis\":9}"), 400, ProblemTypes.INVALID_REQUEST)
                .jsonPath("$.detail").isEqualTo("cpuMillis must be between 10 and 64000, got 9");
        deployed("{\"name\":\"cpu-ceiling\"}");
        assertProblem(put("/internal/functions/cpu-ceiling", "{\"cpuMillis\":64001}"), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(put("/internal/functions/cpu-ceiling", "{\"cpuMillis\":0.5}"), 400,
                ProblemTypes.INVALID_REQUEST);
        assertThat(version("cpu-ceiling", "latest").version()).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from functions where name = 'cpu-floor'", Long.class))
                .isZero();
    }

    @Test
    void updateRejectsBadInputWithoutStoringAVersion() {
        deployed("{\"name\":\"strict\"}");
        assertProblem(put("/internal/functions/strict", "{\"memoryMb\":1}"), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(put("/internal/functions/strict", "{\"memry\":256}"), 400, ProblemTypes.INVALID_REQUEST)
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("memry"));
        assertProblem(put("/internal/functions/strict", "{\"memoryMb\":\"lots\"}"), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(put("/internal/functions/strict", "{\"name\":\"other\"}"), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(put("/internal/functions/strict", ""), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(put("/internal/functions/strict", "{\"handler\":\"missing.handler\"}"), 400,
                ProblemTypes.INVALID_ARCHIVE);
        assertProblem(put("/internal/functions/nobody", "{\"memoryMb\":256}"), 404, ProblemTypes.FUNCTION_NOT_FOUND);
        assertThat(version("strict", "latest").version()).isEqualTo(1);
    }

    @Test
    void updateWithNewCodeCreatesANewVersionWithThatCodeAndKeepsTheRestOfTheConfiguration() {
        FunctionView v1 = deployed("{\"name\":\"recoded\",\"timeoutMs\":1000,\"env\":{\"A\":\"1\"}}");
        byte[] code = Zips.zip(Map.of("function.py", "def handler(event, context):\n    return 'updated'\n"));

        FunctionView v2 = putCode("/internal/functions/recoded", "{\"memoryMb\":256}", code)
                .expectStatus().isOk().expectBody(FunctionView.class).returnResult().getResponseBody();
        FunctionView v3 = putCode("/internal/functions/recoded", null, Zips.helloFunction())
                .expectStatus().isOk().expectBody(FunctionView.class).returnResult().getResponseBody();

        assertThat(v2.latestVersion()).isEqualTo(2);
        assertThat(v2.codeSha256()).isEqualTo(FunctionService.sha256(code)).isNotEqualTo(v1.codeSha256());
        assertThat(v2.codeSize()).isEqualTo(code.length);
        assertThat(v2.memoryMb()).isEqualTo(256);
        assertThat(v2.timeoutMs()).isEqualTo(1000);
        assertThat(v2.env()).isEqualTo(Map.of("A", "1"));
        assertThat(http.get().uri("/internal/functions/recoded/versions/2/code").exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody()).isEqualTo(code);
        assertThat(v3.latestVersion()).isEqualTo(3);
        assertThat(v3.codeSha256()).isEqualTo(v1.codeSha256());
        assertThat(v3.memoryMb()).isEqualTo(256);
        assertThat(version("recoded", "1").codeSha256()).isEqualTo(v1.codeSha256());
    }

    @Test
    void updateWithNewCodeChecksItLikeADeployWithoutStoringAVersion() {
        deployed("{\"name\":\"recode-strict\"}");
        byte[] elsewhere = Zips.zip(Map.of("other.py", "def handler(event, context):\n    return 1\n"));

        assertProblem(putCode("/internal/functions/recode-strict", "{}", elsewhere), 400,
                ProblemTypes.INVALID_ARCHIVE);
        assertProblem(putCode("/internal/functions/recode-strict", "{}", "not a zip".getBytes(StandardCharsets.UTF_8)),
                400, ProblemTypes.INVALID_ARCHIVE);
        assertProblem(putCode("/internal/functions/recode-strict", "{\"memry\":1}", Zips.helloFunction()), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(putCode("/internal/functions/nobody", "{}", Zips.helloFunction()), 404,
                ProblemTypes.FUNCTION_NOT_FOUND);
        assertThat(version("recode-strict", "latest").version()).isEqualTo(1);
        // the handler the new code brings is checked against the new code, not the old
        FunctionView moved = putCode("/internal/functions/recode-strict", "{\"handler\":\"other.handler\"}",
                elsewhere).expectStatus().isOk().expectBody(FunctionView.class).returnResult().getResponseBody();
        assertThat(moved.handler()).isEqualTo("other.handler");
        assertThat(moved.latestVersion()).isEqualTo(2);
    }

    @Test
    void aliasesPointToVersionsAndMove() {
        deployed("{\"name\":\"aliased\"}");
        deployed("{\"name\":\"aliased\",\"timeoutMs\":2000}");

        AliasView created = http.put().uri("/internal/functions/aliased/aliases/prod")
                .contentType(MediaType.APPLICATION_JSON).body("{\"version\":1}").exchange()
                .expectStatus().isCreated().expectBody(AliasView.class).returnResult().getResponseBody();
        assertThat(created.version()).isEqualTo(1);
        assertThat(version("aliased", "prod").version()).isEqualTo(1);
        assertThat(version("aliased", "prod").timeoutMs()).isEqualTo(30_000);

        AliasView moved = http.put().uri("/internal/functions/aliased/aliases/prod")
                .contentType(MediaType.APPLICATION_JSON).body("{\"version\":2}").exchange()
                .expectStatus().isOk().expectBody(AliasView.class).returnResult().getResponseBody();
        assertThat(moved.version()).isEqualTo(2);
        assertThat(version("aliased", "prod").timeoutMs()).isEqualTo(2000);
        assertThat(version("aliased", "latest").version()).isEqualTo(2);

        List<AliasView> aliases = http.get().uri("/internal/functions/aliased/aliases").exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<List<AliasView>>() { })
                .returnResult().getResponseBody();
        assertThat(aliases).extracting(AliasView::alias, AliasView::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("prod", 2));

        http.delete().uri("/internal/functions/aliased/aliases/prod").exchange().expectStatus().isNoContent();
        assertProblem(http.get().uri("/internal/functions/aliased/versions/prod").exchange(), 404,
                ProblemTypes.ALIAS_NOT_FOUND);
    }

    @Test
    void aliasBadInputIsRefusedWithTheRightProblem() {
        deployed("{\"name\":\"alias-errors\"}");
        assertProblem(put("/internal/functions/alias-errors/aliases/prod", "{\"version\":7}"), 404,
                ProblemTypes.FUNCTION_NOT_FOUND);
        assertProblem(put("/internal/functions/alias-errors/aliases/latest", "{\"version\":1}"), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(put("/internal/functions/alias-errors/aliases/3rd", "{\"version\":1}"), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(put("/internal/functions/alias-errors/aliases/prod", "{}"), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(put("/internal/functions/alias-errors/aliases/prod", "{\"version\":1,\"x\":1}"), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(put("/internal/functions/alias-errors/aliases/prod", "{\"version\":\"one\"}"), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(put("/internal/functions/nobody/aliases/prod", "{\"version\":1}"), 404,
                ProblemTypes.FUNCTION_NOT_FOUND);
        assertProblem(http.delete().uri("/internal/functions/alias-errors/aliases/prod").exchange(), 404,
                ProblemTypes.ALIAS_NOT_FOUND);
        assertProblem(http.get().uri("/internal/functions/alias-errors/versions/9").exchange(), 404,
                ProblemTypes.FUNCTION_NOT_FOUND);
        assertProblem(http.get().uri("/internal/functions/alias-errors/versions/0").exchange(), 400,
                ProblemTypes.INVALID_REQUEST);
        assertThat(jdbc.queryForObject("select count(*) from aliases a join functions f on f.id = a.function_id "
                + "where f.name = 'alias-errors'", Long.class)).isZero();
    }

    @Test
    void redeployMakesAnOldVersionsCodeAndConfigurationTheNewLatestVersion() {
        FunctionView v1 = deployed("{\"name\":\"redeployed\",\"timeoutMs\":1000,\"env\":{\"A\":\"1\"},"
                + "\"secrets\":{\"TOKEN\":\"" + SECRET_VALUE + "\"}}");
        byte[] code = Zips.zip(Map.of("function.py", "def handler(event, context):\n    return 'v2'\n"));
        putCode("/internal/functions/redeployed", "{\"memoryMb\":256,\"env\":{\"A\":\"2\"},\"secrets\":{}}", code)
                .expectStatus().isOk();

        FunctionView v3 = http.post().uri("/internal/functions/redeployed/versions/1/redeploy").exchange()
                .expectStatus().isCreated()
                .expectHeader().valueEquals("Location", "/internal/functions/redeployed/versions/3")
                .expectBody(FunctionView.class).returnResult().getResponseBody();

        assertThat(v3.latestVersion()).isEqualTo(3);
        assertThat(v3.codeSha256()).isEqualTo(v1.codeSha256());
        assertThat(v3.memoryMb()).isEqualTo(128);
        assertThat(v3.timeoutMs()).isEqualTo(1000);
        assertThat(v3.env()).isEqualTo(Map.of("A", "1"));
        assertThat(v3.secretNames()).containsExactly("TOKEN");
        assertThat(version("redeployed", "latest").version()).isEqualTo(3);
        assertThat(http.get().uri("/internal/functions/redeployed/versions/3/secrets").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, String>>() { }).returnResult()
                .getResponseBody()).isEqualTo(Map.of("TOKEN", SECRET_VALUE));

        assertProblem(http.post().uri("/internal/functions/redeployed/versions/9/redeploy").exchange(), 404,
                ProblemTypes.FUNCTION_NOT_FOUND).jsonPath("$.version").isEqualTo(9);
        assertProblem(http.post().uri("/internal/functions/nobody/versions/1/redeploy").exchange(), 404,
                ProblemTypes.FUNCTION_NOT_FOUND);
        assertThat(version("redeployed", "latest").version()).as("refused redeploys store nothing").isEqualTo(3);
    }

    @Test
    void secretsAreEncryptedAtRestShownByNameOnlyAndKeptByUpdates() {
        FunctionView view = deployed("{\"name\":\"secretive\",\"env\":{\"PLAIN\":\"p\"},"
                + "\"secrets\":{\"API_TOKEN\":\"" + SECRET_VALUE + "\"}}");
        assertThat(view.secretNames()).containsExactly("API_TOKEN");

        for (String path : List.of("/internal/functions/secretive", "/internal/functions",
                "/internal/functions/secretive/versions", "/internal/functions/secretive/versions/1")) {
            String body = http.get().uri(path).exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(body).as(path).contains("API_TOKEN").doesNotContain(SECRET_VALUE);
        }
        byte[] stored = jdbc.queryForObject("select v.secrets from function_versions v join functions f "
                + "on f.id = v.function_id where f.name = 'secretive'", byte[].class);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET_VALUE)
                .doesNotContain("API_TOKEN");

        http.put().uri("/internal/functions/secretive").contentType(MediaType.APPLICATION_JSON)
                .body("{\"memoryMb\":64}").exchange().expectStatus().isOk();
        Map<String, String> delivered = http.get().uri("/internal/functions/secretive/versions/2/secrets")
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, String>>() { })
                .returnResult().getResponseBody();
        assertThat(delivered).isEqualTo(Map.of("API_TOKEN", SECRET_VALUE));
    }

    @Test
    void httpAccessIsAFunctionSettingWhoseWebhookSecretIsEncryptedAndGivenOnlyToTheGateway() {
        assertThat(deployed("{\"name\":\"by-key\"}").httpAccess()).isEqualTo(HttpAccess.KEY);
        FunctionView hook = deployed("{\"name\":\"hooked\",\"httpAccess\":\"webhook\","
                + "\"webhookSecret\":\"" + SECRET_VALUE + "\"}");
        assertThat(hook.httpAccess()).isEqualTo(HttpAccess.WEBHOOK);
        for (String path : List.of("/internal/functions/hooked", "/internal/functions",
                "/internal/functions/hooked/versions/1")) {
            assertThat(http.get().uri(path).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                    .getResponseBody()).as(path).doesNotContain(SECRET_VALUE);
        }
        byte[] stored = jdbc.queryForObject("select webhook_secret from functions where name = 'hooked'",
                byte[].class);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET_VALUE);

        put("/internal/functions/hooked", "{\"memoryMb\":64}").expectStatus().isOk();
        assertThat(httpAccess("hooked")).isEqualTo(new HttpAccess(HttpAccess.WEBHOOK, SECRET_VALUE));
        put("/internal/functions/hooked", "{\"httpAccess\":\"public\"}").expectStatus().isOk();
        assertThat(httpAccess("hooked")).isEqualTo(new HttpAccess(HttpAccess.PUBLIC, null));

        assertProblem(put("/internal/functions/by-key", "{\"httpAccess\":\"webhook\"}"), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(put("/internal/functions/by-key", "{\"httpAccess\":\"open\"}"), 400,
                ProblemTypes.INVALID_REQUEST);
        assertThat(httpAccess("by-key").mode()).as("refused changes store nothing").isEqualTo(HttpAccess.KEY);
        http.get().uri("/internal/functions/nobody/http-access").exchange().expectStatus().isNotFound();
    }

    private HttpAccess httpAccess(String name) {
        return http.get().uri("/internal/functions/{name}/http-access", name).exchange().expectStatus().isOk()
                .expectBody(HttpAccess.class).returnResult().getResponseBody();
    }

    @Test
    void aDeployDigestIsKeptWithItsVersionShownAsTheFunctionsAndDroppedByAnUpdateWithoutOne() {
        String digest = "cf1:" + "ab".repeat(32);
        FunctionView v1 = deployed("{\"name\":\"digested\",\"deployDigest\":\"" + digest + "\"}");
        FunctionView v2 = http.put().uri("/internal/functions/digested").contentType(MediaType.APPLICATION_JSON)
                .body("{\"memoryMb\":256}").exchange().expectStatus().isOk().expectBody(FunctionView.class)
                .returnResult().getResponseBody();
        FunctionView v3 = putCode("/internal/functions/digested", "{\"deployDigest\":\"cf1:cd\"}",
                Zips.helloFunction()).expectStatus().isOk().expectBody(FunctionView.class).returnResult()
                .getResponseBody();

        assertThat(v1.deployDigest()).isEqualTo(digest);
        assertThat(v2.deployDigest()).as("a change made without a digest").isNull();
        assertThat(v3.deployDigest()).isEqualTo("cf1:cd");
        assertThat(jdbc.queryForList("select v.deploy_digest from function_versions v join functions f"
                + " on f.id = v.function_id where f.name = 'digested' order by v.version", String.class))
                .containsExactly(digest, null, "cf1:cd");
        assertProblem(deploy("{\"name\":\"digest-bad\",\"deployDigest\":\"has space\"}"), 400,
                ProblemTypes.INVALID_REQUEST);
        assertThat(jdbc.queryForObject("select count(*) from functions where name = 'digest-bad'", Long.class))
                .isZero();
    }

    @Test
    void secretThatCollidesWithAnEnvironmentVariableIsRefused() {
        assertProblem(deploy("{\"name\":\"collide\",\"env\":{\"K\":\"a\"},\"secrets\":{\"K\":\"b\"}}"), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(deploy("{\"name\":\"collide\",\"secrets\":{\"1BAD\":\"b\"}}"), 400,
                ProblemTypes.INVALID_REQUEST);
        assertProblem(deploy("{\"name\":\"collide\",\"bogus\":true}"), 400, ProblemTypes.INVALID_REQUEST);
        assertThat(jdbc.queryForObject("select count(*) from functions where name = 'collide'", Long.class)).isZero();
    }

    private RestTestClient.ResponseSpec put(String path, String body) {
        return http.put().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).exchange();
    }

    private RestTestClient.ResponseSpec putCode(String path, String metadata, byte[] code) {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        if (metadata != null) {
            var json = new HttpHeaders();
            json.setContentType(MediaType.APPLICATION_JSON);
            parts.add("metadata", new HttpEntity<>(metadata, json));
        }
        var zip = new HttpHeaders();
        zip.setContentType(MediaType.parseMediaType("application/zip"));
        zip.setContentDispositionFormData("code", "code.zip");
        parts.add("code", new HttpEntity<>(code, zip));
        return http.put().uri(path).contentType(MediaType.MULTIPART_FORM_DATA).body(parts).exchange();
    }

    private FunctionVersionView version(String name, String ref) {
        return http.get().uri("/internal/functions/{name}/versions/{ref}", name, ref).exchange()
                .expectStatus().isOk().expectBody(FunctionVersionView.class).returnResult().getResponseBody();
    }

    private RestTestClient.ResponseSpec deploy(String metadata) {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        var json = new HttpHeaders();
        json.setContentType(MediaType.APPLICATION_JSON);
        parts.add("metadata", new HttpEntity<>(metadata, json));
        var zip = new HttpHeaders();
        zip.setContentType(MediaType.parseMediaType("application/zip"));
        zip.setContentDispositionFormData("code", "code.zip");
        parts.add("code", new HttpEntity<>(Zips.helloFunction(), zip));
        return http.post().uri("/internal/functions").contentType(MediaType.MULTIPART_FORM_DATA).body(parts)
                .exchange();
    }

    private FunctionView deployed(String metadata) {
        return deploy(metadata).expectStatus().isCreated().expectBody(FunctionView.class).returnResult()
                .getResponseBody();
    }
}
